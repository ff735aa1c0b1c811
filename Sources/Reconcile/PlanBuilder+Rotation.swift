import Foundation
import NgrokModel

/// Credential generations and rotation. Each generation is its own API credential whose marker
/// carries its number (`"gen"`, absent = 1); its age is the API's `created_at`. No local state:
/// the token files only say whether a generation's token was delivered.
extension PlanBuilder {
    /// The replacement reason of a credential whose newest token never reached its file.
    static let neverDelivered = "token never delivered"

    var now: Date { planner.options.now ?? Date() }

    func generation(_ object: LiveObject) -> Int { object.marker?.generation ?? 1 }

    /// Keeps the newest generation's objects as the candidates (duplicates among them are deduped
    /// as usual) and sets the older generations aside.
    mutating func splitGenerations(_ address: ResourceAddress, _ candidates: [LiveObject]) -> [LiveObject] {
        if candidates.count < 2 { return candidates }
        let newest = candidates.map(generation).max() ?? 1
        let older = candidates.filter { generation($0) < newest }
        if !older.isEmpty {
            olderGenerations[address] = older.sorted {
                (generation($0), $0.createdAt, $0.id) < (generation($1), $1.createdAt, $1.id)
            }
            touched += older
        }
        return candidates.filter { generation($0) == newest }
    }

    /// With a token directory, a kept credential whose newest generation has no token file was
    /// created but its token never written (a crash in between): replace it.
    mutating func checkDelivered(_ address: ResourceAddress) {
        guard let files = planner.options.tokenFiles, case .keep(let keeper)? = identity[address],
            keeper.marker?.externalToken != true
        else { return }
        let g = generation(keeper)
        var names = [TokenSink.fileName(credential: address.name, generation: g)]
        if g == 1 { names.append(TokenSink.fileName(credential: address.name)) }
        if !names.contains(where: { files.contains($0) }) {
            identity[address] = .replace(old: keeper, reason: Self.neverDelivered)
        }
    }

    /// The desired credential with the generation of the object it is compared with or replaces;
    /// an adopted credential keeps (or gets) the mark of a token made outside ngrokctl.
    func credentialObject(_ object: DesiredObject) -> DesiredObject {
        switch identity[object.address] {
        case .keep(let live)?: forGeneration(object, generation(live), externalToken: live.marker?.externalToken == true)
        case .replace(let live, _)?: forGeneration(object, generation(live))
        case .adopt?: forGeneration(object, 1, externalToken: true)
        default: object
        }
    }

    func forGeneration(_ object: DesiredObject, _ g: Int, externalToken: Bool = false) -> DesiredObject {
        guard g != object.marker.generation || externalToken != object.marker.externalToken else { return object }
        var copy = object
        copy.marker.generation = g
        copy.marker.externalToken = externalToken
        copy.fields["metadata"] = .string(copy.marker.encoded)
        if copy.request["metadata"] != nil { copy.request["metadata"] = .string(copy.marker.encoded) }
        return copy
    }

    /// The API's `created_at` (RFC 3339, with or without fractional seconds). Parsed with a format
    /// style value: planning reads one per live credential, so no formatter object is made per call.
    static func date(_ text: String) -> Date? {
        if let date = try? Date(text, strategy: .iso8601) { return date }
        return try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }

    /// `2027-03-01 22:51 UTC`.
    static func display(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm 'UTC'"
        return formatter.string(from: date)
    }

    /// Rotation of the newest generation when it is due (or forced by `ngrokctl rotate`), then
    /// each older generation: revoked once its successor has existed for the overlap, otherwise
    /// kept up to date like the newest (ACL and description apply to every live generation).
    mutating func planGenerations(_ object: DesiredObject, normalizer: LiveNormalizer) {
        guard case .credential(let spec) = object.resource.spec else { return }
        let address = object.address
        let rotation = spec.rotation
        let now = self.now
        let forced = planner.options.rotateNow.contains(address)
        let revokeAll = forced && planner.options.revokeNow
        var newest: LiveObject?
        switch identity[address] {
        case .keep(let live)?, .replace(let live, _)?: newest = live
        default: break
        }

        var rotateOp: Int?
        if case .keep(let live)? = identity[address] {
            let g = generation(live)
            let due = rotation.flatMap { r in Self.date(live.createdAt).map { $0.addingTimeInterval(TimeInterval(r.every)) <= now } } ?? false
            if due || forced {
                let next = forGeneration(object, g + 1)
                var body: [String: WireValue] = [:]
                for (field, value) in next.request where value != .null { body[field] = value }
                let reason: String
                if revokeAll {
                    reason = "generation \(g + 1) now; older generations revoked once its token is written"
                } else if let rotation {
                    reason = "generation \(g + 1); generation \(g) revoked after overlap, at "
                        + Self.display(now.addingTimeInterval(TimeInterval(rotation.overlap)))
                } else {
                    reason = "generation \(g + 1) now; generation \(g) revoked by the next apply (no rotation schedule)"
                }
                rotateOp = add(
                    .rotate, address, changes: [.init(path: "generation", before: .int(g), after: .int(g + 1))],
                    reason: reason, method: .post, collection: address.kind.collection, objectID: nil, body: .object(body))
                if planner.stack.spec.tokenDirectory == nil, planner.options.tokenDirectory == nil {
                    errors.append(.error(
                        at: object.resource.source.document, address,
                        "rotating a credential needs a token directory for its new token",
                        hint: "set spec.tokenDirectory in ngrokctl.yaml (tokens are written there with mode 0600)"))
                }
            }
        }

        var schedule = CredentialSchedule(
            credential: address.name, generation: newest.map(generation) ?? 1,
            createdAt: newest.flatMap { Self.date($0.createdAt) }, nextRotation: nil)
        var kept = false
        if case .keep? = identity[address] { kept = true }
        if rotateOp != nil || !kept {
            // Created by this plan (a rotation, a first create, or a replacement).
            if rotateOp != nil { schedule.generation += 1 }
            schedule.createdAt = now
        }
        if let rotation, let created = schedule.createdAt {
            schedule.nextRotation = created.addingTimeInterval(TimeInterval(rotation.every))
        }
        credentialSchedules.append(schedule)

        let older = olderGenerations[address] ?? []
        for (index, live) in older.enumerated() {
            let successor = index + 1 < older.count ? older[index + 1] : newest
            let revokeAt = rotation.flatMap { r in
                successor.flatMap { Self.date($0.createdAt) }.map { $0.addingTimeInterval(TimeInterval(r.overlap)) }
            }
            let reason: String?
            if revokeAll {
                reason = "generation \(generation(live)): revoked now (ngrokctl rotate --revoke-now)"
            } else if rotation == nil {
                reason = "generation \(generation(live)): an older generation, and the credential has no rotation schedule"
            } else if let revokeAt, revokeAt <= now {
                reason = "generation \(generation(live)): overlap ended at \(Self.display(revokeAt))"
            } else {
                reason = nil
            }
            if let reason {
                let op = add(
                    .revoke, address, changes: [.init(path: "generation", before: .int(generation(live)), after: nil)],
                    reason: reason, method: .delete, collection: address.kind.collection, objectID: live.id)
                if let rotateOp { operations[op].dependsOn.append(rotateOp) }
            } else {
                planUpdate(
                    forGeneration(object, generation(live), externalToken: live.marker?.externalToken == true), live: live,
                    normalizer: normalizer, adopting: false)
            }
        }
        if revokeAll, let rotateOp, let newest {
            let op = add(
                .revoke, address, changes: [.init(path: "generation", before: .int(generation(newest)), after: nil)],
                reason: "generation \(generation(newest)): revoked now (ngrokctl rotate --revoke-now)", method: .delete,
                collection: address.kind.collection, objectID: newest.id)
            operations[op].dependsOn.append(rotateOp)
        }
    }

    /// Records the generation on every whole-credential operation whose token files follow it:
    /// under rotation, past the first generation, and for credentials leaving the manifests.
    mutating func assignGenerations() {
        guard operations.contains(where: { $0.address.kind == .credential && $0.subject == .object }) else { return }
        var liveByID: [String: LiveObject] = [:]
        for object in planner.live.all(.credential) { liveByID[object.id] = object }
        var rotatingByName: [String: Bool] = [:]
        for resource in desired {
            if case .credential(let spec) = resource.spec { rotatingByName[resource.address.name] = spec.rotation != nil }
        }
        for index in operations.indices {
            let op = operations[index]
            guard op.address.kind == .credential, op.subject == .object else { continue }
            let sent = op.request.body?["metadata"]?.stringValue.flatMap { OwnershipMarker(metadata: $0) }
            guard let marker = sent ?? op.request.objectID.flatMap({ liveByID[$0]?.marker }) else { continue }
            // A credential leaving the manifests: remove whatever files it had.
            let rotating = rotatingByName[op.address.name] ?? true
            if rotating || marker.generation > 1 || op.action == .rotate || op.action == .revoke {
                operations[index].generation = marker.generation
            }
        }
    }
}
