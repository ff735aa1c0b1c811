import Foundation
import NgrokModel
import Validation

/// Turns an account (read with `ReconcileAPI.snapshot()`) into a ready stack: `ngrokctl.yaml`,
/// manifests by concern with `adopt: true`, PEM files, and `{env: …}` references for the secrets
/// the API never returns (listed in `.env.example`). Pure: `write(to:)` does the file I/O.
public struct StackImporter: Sendable {
    public struct Options: Sendable {
        /// The stack name written to `ngrokctl.yaml` (and, on adoption, into the markers).
        public var stack: String
        /// Only these kinds (all when empty).
        public var kinds: Set<Kind>
        public init(stack: String = "imported", kinds: Set<Kind> = []) {
            self.stack = stack
            self.kinds = kinds
        }
    }

    public struct Skipped: Sendable, Hashable {
        public var object: String
        public var reason: String
    }

    public struct Secret: Sendable, Hashable {
        public var variable: String
        public var usedBy: String
        public var what: String
    }

    public struct Result: Sendable {
        /// Relative path → contents.
        public var files: [String: String]
        public var imported: [ResourceAddress]
        public var skipped: [Skipped]
        public var secrets: [Secret]

        public var summary: String {
            var out = "Imported \(imported.count) resources into \(files.count) files.\n"
            var counts: [Kind: Int] = [:]
            for a in imported { counts[a.kind, default: 0] += 1 }
            for kind in Kind.allCases where counts[kind] != nil { out += "  \(kind.rawValue): \(counts[kind]!)\n" }
            if !skipped.isEmpty {
                out += "Skipped \(skipped.count):\n"
                for s in skipped { out += "  \(s.object): \(s.reason)\n" }
            }
            if !secrets.isEmpty {
                out += "Secrets the API never returns: set these (listed in .env.example) before planning:\n"
                for s in secrets { out += "  \(s.variable): \(s.what) of \(s.usedBy)\n" }
            }
            if imported.contains(where: { $0.kind == .credential }) {
                out += "Credential tokens are never readable from the API: the existing tokens keep working after adoption.\n"
            }
            return out
        }
    }

    public var live: LiveState
    public var options: Options

    public init(live: LiveState, options: Options) {
        self.live = live
        self.options = options
    }

    /// Where each kind's manifests go.
    public static func file(for kind: Kind) -> String {
        switch kind {
        case .credential: "devices/credentials.yaml"
        case .ipPolicy: "network/ip-policies.yaml"
        case .ipWhitelistEntry: "network/ip-whitelist.yaml"
        case .certificateAuthority: "auth/certificate-authorities.yaml"
        case .tlsCertificate: "auth/certificates.yaml"
        case .endpointConfiguration: "edges/endpoint-configurations.yaml"
        case .reservedDomain: "domains/domains.yaml"
        case .reservedAddress: "domains/addresses.yaml"
        }
    }

    public func run() -> Result {
        let names = LiveNames(live)
        let normalizer = LiveNormalizer(addressOfID: names.addressOfID, canonicalCIDR: { CIDR.canonical($0) ?? $0 })
        let rulesByPolicy = live.rulesByPolicy
        var files: [String: String] = [:]
        var documents: [Kind: [String]] = [:]
        var imported: [ResourceAddress] = []
        var importedIDs: Set<String> = []
        var skipped: [Skipped] = []
        var secrets: [Secret] = []

        for kind in Kind.allCases {
            for object in live.all(kind).sorted(by: LiveObject.olderFirst) {
                guard let address = names.addressOfID[object.id] else { continue }
                let label = "\(address) (\(object.id))"
                if let marker = object.marker, marker.stack != options.stack {
                    skipped.append(Skipped(object: label, reason: "owned by stack \"\(marker.stack)\""))
                    continue
                }
                if !options.kinds.isEmpty, !options.kinds.contains(kind) { continue }
                // Generations of one rotated credential are one resource: imported once.
                if kind == .credential, imported.contains(address) { continue }
                let fields = normalizer.fields(of: object, kind: kind)
                // References to objects that are not imported would not validate: skip the referrer.
                let missing = fields.values.flatMap(\.references).compactMap { ref -> String? in
                    guard case .live(let id, let target) = ref, !importedIDs.contains(id) else { return nil }
                    return target.map { "\($0) (\(id))" } ?? id
                }
                if let first = missing.first {
                    skipped.append(Skipped(object: label, reason: "refers to \(first), which is not imported"))
                    continue
                }
                var context = Context(address: address, object: object, fields: fields, kind: kind)
                var spec = common(object, stackName: options.stack)
                spec += context.spec(rules: (rulesByPolicy[object.id] ?? []).map { normalizer.rule($0) })
                spec.append(("adopt", .bool(true)))
                files.merge(context.files) { a, _ in a }
                secrets += context.secrets
                documents[kind, default: []].append(ManifestWriter.document(kind: kind.rawValue, name: address.name, spec: spec))
                imported.append(address)
                importedIDs.insert(object.id)
            }
        }
        for (kind, docs) in documents {
            files[Self.file(for: kind)] = ManifestWriter.file(
                docs, comment: "Imported by `ngrokctl import`: review, then plan (it should show only adoptions).")
        }
        files["ngrokctl.yaml"] = ManifestWriter.file(
            [ManifestWriter.render(.map([
                ("apiVersion", .string("ngrokctl/v1")), ("kind", .string("Stack")),
                ("metadata", .map([("name", .string(options.stack))])),
                ("spec", .map([("prune", .bool(false)), ("tokenDirectory", .string(".tokens"))])),
            ]))],
            comment: "Imported by `ngrokctl import`. The API URL and key come from --api-url / NGROK_API_URL and NGROK_API_KEY.\nNew credential tokens are written to .tokens/ (mode 0600); keep it out of git.")
        files[".gitignore"] = ".env\n.tokens/\n"
        var env = "# Secrets the ngrok API never returns. Copy to .env, fill in the real values, and export them\n"
        env += "# before `ngrokctl plan`. Never commit the filled-in file.\n"
        for s in secrets { env += "# \(s.what) of \(s.usedBy)\n\(s.variable)=\n" }
        files[".env.example"] = env
        return Result(files: files, imported: imported, skipped: skipped, secrets: secrets)
    }

    /// Writes the files below `directory`; refuses a non-empty directory unless `force`.
    public static func write(_ result: Result, to directory: String, force: Bool) throws {
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        if fm.fileExists(atPath: directory, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else { throw ImportError.notADirectory(directory) }
            let entries = (try? fm.contentsOfDirectory(atPath: directory)) ?? []
            if !entries.isEmpty && !force { throw ImportError.notEmpty(directory, entries.count) }
        }
        for (path, contents) in result.files.sorted(by: { $0.key < $1.key }) {
            let url = URL(fileURLWithPath: directory).appendingPathComponent(path)
            try fm.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(contents.utf8).write(to: url, options: .atomic)
        }
    }

    public enum ImportError: Error, CustomStringConvertible {
        case notEmpty(String, Int)
        case notADirectory(String)
        public var description: String {
            switch self {
            case .notEmpty(let d, let n): "\(d) is not empty (\(n) entries); choose an empty directory or pass --force to overwrite"
            case .notADirectory(let d): "\(d) exists and is not a directory"
            }
        }
    }

    /// Fields every kind has: description and the user's metadata string.
    private func common(_ object: LiveObject, stackName: String) -> [(String, YAMLOut)] {
        var out: [(String, YAMLOut)] = []
        if let d = object.json["description"]?.stringValue, !d.isEmpty { out.append(("description", .string(d))) }
        let metadata = object.marker.map { $0.userMetadata ?? "" } ?? (object.json["metadata"]?.stringValue ?? "")
        if !metadata.isEmpty { out.append(("metadata", .string(metadata))) }
        if let marker = object.marker {
            if marker.retain { out.append(("deletionPolicy", .string("Retain"))) }
            if marker.protect { out.append(("protect", .bool(true))) }
        }
        return out
    }
}

