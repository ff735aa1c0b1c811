import Foundation
import Logging
import NgrokModel
import Validation

/// Runs a plan's DAG against the API with bounded concurrency (the shared API budget is enforced
/// by the client underneath). On failure, dependents are skipped and independent branches finish.
public struct Executor: Sendable {
    public enum Outcome: Sendable, Hashable {
        case succeeded(objectID: String?)
        case failed(String)
        case skipped(String)
    }

    public struct Event: Sendable {
        public enum Kind: Sendable { case started, finished(Outcome) }
        public var operation: PlanOperation
        public var kind: Kind
        public var elapsed: Duration
    }

    public struct Result: Sendable {
        public var outcomes: [Int: Outcome]
        public var elapsed: Duration
        public var succeeded: Int { outcomes.values.filter { if case .succeeded = $0 { true } else { false } }.count }
        public var failed: Int { outcomes.values.filter { if case .failed = $0 { true } else { false } }.count }
        public var skipped: Int { outcomes.values.filter { if case .skipped = $0 { true } else { false } }.count }
        public var ok: Bool { failed == 0 && skipped == 0 }
    }

    public var api: any ReconcileAPI
    public var concurrency: Int
    public var tokens: TokenSink?
    public var logger: Logger
    /// How many times a create is attempted when its outcome stays unknown.
    public var createAttempts = 10
    /// Asked before each operation starts: once true, no new operation starts, the ones in
    /// flight finish, and the rest are skipped (a shutdown stops between operations, so the
    /// account is consistent and the next apply resumes where this one stopped).
    public var shouldStop: @Sendable () -> Bool = { false }

    public init(api: any ReconcileAPI, concurrency: Int, tokens: TokenSink?, logger: Logger) {
        self.api = api
        self.concurrency = max(1, concurrency)
        self.tokens = tokens
        self.logger = logger
    }

    public func execute(_ plan: Plan, onEvent: @escaping @Sendable (Event) -> Void = { _ in }) async -> Result {
        let clock = ContinuousClock()
        let start = clock.now
        let ids = IDRegistry()
        var outcomes: [Int: Outcome] = [:]
        var pending = Dictionary(uniqueKeysWithValues: plan.operations.map { ($0.id, $0) })
        var running = 0
        await withTaskGroup(of: (Int, Outcome).self) { group in
            func startReady() {
                guard !shouldStop() else { return }
                let ready = pending.values.filter { op in
                    op.dependsOn.allSatisfy { if case .succeeded? = outcomes[$0] { true } else { false } }
                }.sorted { $0.id < $1.id }
                for op in ready where running < concurrency {
                    pending[op.id] = nil
                    running += 1
                    onEvent(Event(operation: op, kind: .started, elapsed: clock.now - start))
                    group.addTask {
                        (op.id, await self.run(op, ids: ids, preexisting: plan.preexistingIDs))
                    }
                }
            }
            func skipBlocked() {
                var changed = true
                while changed {
                    changed = false
                    for op in pending.values.sorted(by: { $0.id < $1.id }) {
                        let blocker = op.dependsOn.first { dep in
                            switch outcomes[dep] {
                            case .failed?, .skipped?: true
                            default: false
                            }
                        }
                        guard let blocker else { continue }
                        let reason = "depends on operation \(blocker), which did not complete"
                        outcomes[op.id] = .skipped(reason)
                        pending[op.id] = nil
                        onEvent(Event(operation: op, kind: .finished(.skipped(reason)), elapsed: clock.now - start))
                        changed = true
                    }
                }
            }
            startReady()
            while let (id, outcome) = await group.next() {
                running -= 1
                outcomes[id] = outcome
                if let op = plan.operations.first(where: { $0.id == id }) {
                    onEvent(Event(operation: op, kind: .finished(outcome), elapsed: clock.now - start))
                }
                skipBlocked()
                startReady()
            }
        }
        // Stopped early: what never started is skipped.
        for op in pending.values.sorted(by: { $0.id < $1.id }) where shouldStop() {
            let reason = "not started: stopping (shutdown)"
            outcomes[op.id] = .skipped(reason)
            onEvent(Event(operation: op, kind: .finished(.skipped(reason)), elapsed: clock.now - start))
        }
        return Result(outcomes: outcomes, elapsed: clock.now - start)
    }

    func run(_ op: PlanOperation, ids: IDRegistry, preexisting: Set<String>) async -> Outcome {
        do {
            switch op.action {
            case .create, .rotate:
                // An unusable token directory fails the operation before anything is created.
                if op.address.kind == .credential, op.subject == .object { try tokens?.prepareDirectory() }
                let id = try await create(op, ids: ids, preexisting: preexisting)
                if op.subject == .object { await ids.set(op.address, id) }
                return .succeeded(objectID: id)
            default:
                let objectID = try objectID(op)
                let path = "/\(op.request.collection)/\(objectID)\(op.request.suffix)"
                let body = try await body(of: op, ids: ids)
                try removeTokenFiles(before: op)
                do {
                    _ = try await api.send(method: op.request.method, path: path, body: body)
                } catch let error as ReconcileAPIError where op.request.method == .delete && error.status == 404 {
                    // Already gone (a retry after a lost response, or deleted by hand): done.
                }
                return .succeeded(objectID: objectID)
            }
        } catch {
            logger.debug("operation failed", metadata: ["operation": "\(op.id)", "target": "\(op.target)"])
            return .failed(String(describing: error))
        }
    }

    /// Every operation but a create acts on an object that exists when the plan is made.
    func objectID(_ op: PlanOperation) throws -> String {
        guard let id = op.request.objectID else { throw WireValue.ResolutionError.unresolvedReference(op.address) }
        return id
    }

    func body(of op: PlanOperation, ids: IDRegistry) async throws -> [UInt8]? {
        guard let body = op.request.body else { return nil }
        let known = await ids.all()
        return try body.requestBody { known[$0] }
    }

    /// A create whose outcome is unknown is settled, never guessed: a list finds the object by its
    /// ownership marker or natural key (a rule: policy and CIDR; a whitelist entry: IP net; a reserved
    /// domain: name), and only when the list shows it did not happen is the create sent again (at
    /// most `createAttempts` times, each logged). A "duplicate" answer after an unknown outcome means
    /// the earlier attempt happened: the existing object is adopted. A credential found that way has
    /// no retrievable token (it was in the lost response): it is deleted and created again, and the
    /// new token written, in the same run.
    func create(_ op: PlanOperation, ids: IDRegistry, preexisting: Set<String>) async throws -> String {
        let body = try await body(of: op, ids: ids)
        let path = "/\(op.request.collection)"
        let isCredential = op.address.kind == .credential && op.subject == .object
        var lastError: any Error = ReconcileAPIError.outcomeUnknown("no attempt made")
        var outcomeWasUnknown = false
        /// The object an earlier attempt created, if any; a credential's is deleted (nil returned).
        func settle(_ why: String, attempt: Int) async throws -> String? {
            guard let existing = try await findCreated(op, body: body, excluding: preexisting) else {
                logger.info(
                    "create did not happen; sending it again",
                    metadata: ["target": "\(op.target)", "attempt": "\(attempt)", "after": "\(why)"])
                return nil
            }
            guard isCredential else {
                logger.info(
                    "create happened; adopting the object it made",
                    metadata: ["target": "\(op.target)", "id": "\(existing)", "after": "\(why)"])
                return existing
            }
            logger.info(
                "credential created but its token was lost; deleting it to create it again",
                metadata: ["target": "\(op.target)", "id": "\(existing)"])
            do {
                _ = try await api.send(method: .delete, path: "/credentials/\(existing)", body: nil)
            } catch let error as ReconcileAPIError where error.status == 404 {}
            return nil
        }
        for attempt in 1...createAttempts {
            do {
                let response = try await api.send(method: .post, path: path, body: body)
                guard let id = response?["id"]?.stringValue else {
                    throw ReconcileAPIError.api(status: 0, code: nil, message: "create returned no id", operationID: nil)
                }
                if isCredential, let token = response?["token"]?.stringValue {
                    try await deliverToken(op, token: token, id: id)
                }
                return id
            } catch ReconcileAPIError.outcomeUnknown(let detail) {
                lastError = ReconcileAPIError.outcomeUnknown(detail)
                outcomeWasUnknown = true
                logger.info(
                    "create outcome unknown; checking whether it happened",
                    metadata: ["target": "\(op.target)", "attempt": "\(attempt)"])
                if let existing = try await settle("outcome unknown", attempt: attempt) { return existing }
            } catch let error as ReconcileAPIError where error.isDuplicate && (outcomeWasUnknown || op.subject != .object) {
                // A rule the plan did not see, with the same policy and CIDR: the same rule (sent
                // twice below this layer, or by a concurrent apply). Adopt it by its natural key.
                lastError = error
                logger.info(
                    "create answered \"already exists\" after an unknown outcome: it happened",
                    metadata: ["target": "\(op.target)", "attempt": "\(attempt)"])
                if let existing = try await settle("already exists", attempt: attempt) { return existing }
                if !isCredential { throw error }
            }
        }
        throw lastError
    }

    func findCreated(_ op: PlanOperation, body: [UInt8]?, excluding preexisting: Set<String>) async throws -> String? {
        let objects = try await api.listAll(op.request.collection).filter {
            !preexisting.contains($0["id"]?.stringValue ?? "")
        }
        let sent = body.flatMap { try? WireValue(jsonText: $0) }
        func newest(_ matches: [[String: WireValue]]) -> String? {
            matches.max {
                ($0["created_at"]?.stringValue ?? "", $0["id"]?.stringValue ?? "")
                    < ($1["created_at"]?.stringValue ?? "", $1["id"]?.stringValue ?? "")
            }?["id"]?.stringValue
        }
        func canonical(_ cidr: String) -> String { CIDR.canonical(cidr) ?? cidr }
        switch op.subject {
        case .rule(let cidr):
            // Natural key: the policy and the CIDR (the API allows one rule per CIDR in a policy).
            guard let policy = sent?["ip_policy_id"]?.stringValue else { return nil }
            return newest(objects.filter { object in
                guard case .object(let ref)? = object["ip_policy"] else { return false }
                return ref["id"]?.stringValue == policy
                    && canonical(object["cidr"]?.stringValue ?? "") == canonical(cidr)
            })
        default:
            let wanted = (op.request.body?["metadata"]?.stringValue).flatMap { OwnershipMarker(metadata: $0) }
            let byMarker = objects.filter { object in
                guard let metadata = object["metadata"]?.stringValue, let marker = OwnershipMarker(metadata: metadata) else {
                    return false
                }
                return marker.address == op.address && wanted?.stack == marker.stack
            }
            if let found = newest(byMarker) { return found }
            // Natural keys for objects whose identity does not rest on metadata.
            switch op.address.kind {
            case .ipWhitelistEntry:
                guard let net = sent?["ip_net"]?.stringValue else { return nil }
                return newest(objects.filter { canonical($0["ip_net"]?.stringValue ?? "") == canonical(net) })
            case .reservedDomain:
                guard let name = sent?["name"]?.stringValue else { return nil }
                return newest(objects.filter {
                    ($0["domain"]?.stringValue ?? $0["name"]?.stringValue ?? "").lowercased() == Normalize.domain(name)
                })
            default:
                return nil
            }
        }
    }
}

/// IDs of objects created during an apply, for resolving references of later operations.
actor IDRegistry {
    private var ids: [ResourceAddress: String] = [:]
    func set(_ address: ResourceAddress, _ id: String) { ids[address] = id }
    func get(_ address: ResourceAddress) -> String? { ids[address] }
    func all() -> [ResourceAddress: String] { ids }
}
