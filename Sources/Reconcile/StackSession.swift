import Foundation
import Logging
import Manifests
import NgrokModel
import Validation

/// One run of the product's main job over a stack: load and validate the manifests, resolve
/// secrets, read the account, plan, and (for apply) execute. Shared by `plan`, `apply` and the
/// controller so they behave identically.
public struct StackSession: Sendable {
    /// Product rules (docs/product-rules.md) over a loaded stack, with a resolver for secrets they need to check.
    public typealias Validate = @Sendable (Stack, _ resolve: @escaping @Sendable (SecretReference) throws -> SecretValue) -> [Diagnostic]

    public var validate: Validate
    public var canonicalCIDR: @Sendable (String) -> String
    public var environment: [String: String]
    public var loader: ManifestLoader

    public init(
        validate: @escaping Validate, canonicalCIDR: @escaping @Sendable (String) -> String,
        environment: [String: String] = ProcessInfo.processInfo.environment, loader: ManifestLoader = ManifestLoader()
    ) {
        self.validate = validate
        self.canonicalCIDR = canonicalCIDR
        self.environment = environment
        self.loader = loader
    }

    public struct Loaded: Sendable {
        public var stack: Stack?
        public var diagnostics: [Diagnostic]
        public var secrets: [ResourceAddress: [String: SecretValue]]
        public var source: StackSource
        /// Secrets that could not be resolved when they were optional (see `SecretRequirement`).
        public var unresolvedSecrets: [UnresolvedSecret] = []
        public var ok: Bool { stack != nil && !diagnostics.hasErrors }
    }

    /// Whether every secret must resolve. `apply` and the controller require them; `plan` and
    /// `validate` do not by default (CI jobs for pull requests have none), unless `--require-secrets`.
    public enum SecretRequirement: Sendable, Hashable {
        /// An unresolvable secret is an error at its field.
        case required
        /// Unresolvable secrets are reported in one warning; the plan shows them as
        /// `(sensitive, known at apply)`.
        case optional
    }

    public struct UnresolvedSecret: Sendable, Hashable {
        public var address: ResourceAddress
        /// The spec path, e.g. `spec.modules.oauth.clientSecret`.
        public var path: String
        public var reference: SecretReference
        public var location: SourceLocation?
        /// Why it could not be resolved (never a value).
        public var reason: String
    }

    /// Loads, validates and resolves secrets. Every problem is reported, none is fatal on its own.
    public func load(_ source: StackSource, secrets requirement: SecretRequirement = .required) -> Loaded {
        var loader = loader
        // Optional secrets: a missing secret file is reported by the resolver below, not the loader.
        if requirement == .optional { loader.checksSecretFiles = false }
        let result = loader.load(root: source.root, fileSystem: source.fileSystem)
        var diagnostics = result.diagnostics
        var secrets: [ResourceAddress: [String: SecretValue]] = [:]
        guard let stack = result.stack else {
            return Loaded(stack: nil, diagnostics: diagnostics.sortedForDisplay(), secrets: [:], source: source)
        }
        let resolver = SecretResolver(environment: environment, fileSystem: source.fileSystem)
        var unresolved: [UnresolvedSecret] = []
        for resource in stack.resources {
            for input in SecretInputs.of(resource) {
                if case .file(let path) = input.reference, source.isTrackedByGit(path) {
                    diagnostics.append(
                        .warning(
                            at: resource.location(of: input.path + ".file"), resource.address,
                            "\(input.path): the secret file is tracked by git, so its value is in the repository",
                            hint: "keep it out of git: an ignored file in the stack, an operator --file-dir directory, or {env: NAME}"))
                }
                do {
                    secrets[resource.address, default: [:]][input.path] = try resolver.resolve(input.reference)
                } catch {
                    let location = resource.location(of: input.path)
                    switch requirement {
                    case .required: diagnostics.append(error.diagnostic(at: location, resource.address))
                    case .optional:
                        unresolved.append(
                            UnresolvedSecret(
                                address: resource.address, path: input.path, reference: input.reference,
                                location: location, reason: error.message))
                    }
                }
            }
        }
        if let warning = Self.unresolvedWarning(unresolved) { diagnostics.append(warning) }
        // Product rules run even when a document failed to load (it is left out of the stack), so
        // one run reports every error: an unknown field in one file does not hide a bad CIDR in another.
        diagnostics += validate(stack) { reference in try resolver.resolve(reference) }
        diagnostics = Self.withoutSecretFileContent(diagnostics, stack: stack, root: source.root)
        var loaded = Loaded(
            stack: stack, diagnostics: deduplicated(diagnostics).sortedForDisplay(), secrets: secrets, source: source)
        loaded.unresolvedSecrets = unresolved
        return loaded
    }

    /// One warning naming every secret that could not be resolved (names and paths, never values).
    static func unresolvedWarning(_ unresolved: [UnresolvedSecret]) -> Diagnostic? {
        guard let first = unresolved.first else { return nil }
        let list = unresolved.map { secret -> String in
            let field = secret.path.hasPrefix("spec.") ? String(secret.path.dropFirst(5)) : secret.path
            let what = switch secret.reference {
            case .env(let name): name
            case .file(let path): "file \(path)"
            }
            return "\(what) (\(secret.address) \(field))"
        }
        let count = unresolved.count
        return .warning(
            at: first.location, nil,
            "\(count) secret\(count == 1 ? " is" : "s are") not available, so \(count == 1 ? "its field is" : "their fields are") "
                + "shown as \(WireValue.knownAtApply) and may change: " + list.joined(separator: ", "),
            hint: "apply needs every secret; pass --require-secrets to make this an error")
    }

    /// A file referenced as a secret that is also read as a manifest must not have its content
    /// quoted: its diagnostics are replaced by one that names the file only.
    static func withoutSecretFileContent(_ diagnostics: [Diagnostic], stack: Stack, root: String) -> [Diagnostic] {
        var secretFiles = Set<String>()
        for resource in stack.resources {
            for input in SecretInputs.of(resource) {
                if case .file(let path) = input.reference { secretFiles.insert(ManifestPath.normalize(path)) }
            }
        }
        guard !secretFiles.isEmpty else { return diagnostics }
        return diagnostics.map { diagnostic in
            guard let location = diagnostic.location,
                secretFiles.contains(ManifestPath.join(root, location.file))
            else { return diagnostic }
            return .error(
                at: SourceLocation(file: location.file, line: 1, column: 1), nil,
                "this file is referenced as a secret, so it is not read as a manifest and its content is not shown",
                hint: "give it a name that does not end in .yaml/.yml, or list it in .ngrokctlignore")
        }
    }

    private func deduplicated(_ diagnostics: [Diagnostic]) -> [Diagnostic] {
        var seen = Set<Diagnostic>()
        return diagnostics.filter { seen.insert($0).inserted }
    }

    /// Reads the account and plans.
    public func plan(_ loaded: Loaded, api: any ReconcileAPI, options: PlanOptions) async throws -> Plan {
        guard loaded.stack != nil else { throw SessionError.invalid(loaded.diagnostics) }
        return try plan(loaded, live: try await api.snapshot(), options: options)
    }

    /// Plans against a live state already read (so callers can reuse it, e.g. `AccessChange`).
    public func plan(_ loaded: Loaded, live: LiveState, options: PlanOptions) throws -> Plan {
        guard let stack = loaded.stack else { throw SessionError.invalid(loaded.diagnostics) }
        let options = completed(options, loaded: loaded, stack: stack)
        var plan = Planner(
            stack: stack, live: live, secrets: loaded.secrets, canonicalCIDR: canonicalCIDR, options: options
        ).plan()
        plan.warnings += loaded.diagnostics.warnings
        return plan
    }

    /// The options every plan of a session uses: the source's commit, the time, and the token
    /// files present (an owned credential without one is replaced: its token was never delivered).
    func completed(_ options: PlanOptions, loaded: Loaded, stack: Stack) -> PlanOptions {
        var options = options
        options.sourceCommit = options.sourceCommit ?? loaded.source.commit
        options.now = options.now ?? Date()
        // No token directory yet: no credential was ever created from here (its tokens went
        // elsewhere, e.g. another checkout of the stack), so there is nothing to check.
        // The manifest's tokenDirectory is relative to the stack root (`ApplySession` passes the
        // directory the operator policy resolved instead).
        if options.tokenFiles == nil,
            let directory = options.tokenDirectory ?? stack.spec.tokenDirectory.map({ ManifestPath.join(stack.root, $0) }),
            FileManager.default.fileExists(atPath: directory)
        {
            options.tokenFiles = TokenSink(directory: directory).existingFiles()
        }
        return options
    }

    public enum SessionError: Error, CustomStringConvertible {
        case invalid([Diagnostic])
        public var description: String {
            switch self {
            case .invalid(let diagnostics):
                "the manifests are not valid:\n" + diagnostics.errors.map { "  \($0)" }.joined(separator: "\n")
            }
        }
    }
}

extension StackSession {
    /// The session `plan`, `apply`, `validate` and the controller use: the real loader, the product
    /// rules (docs/product-rules.md) and canonical CIDRs. Secrets are resolved (and reported) by the session.
    public static func standard(environment: [String: String] = ProcessInfo.processInfo.environment) -> StackSession {
        StackSession(
            validate: { stack, resolve in
                ProductRules.validate(stack, options: ValidationOptions(resolveSecret: resolve, reportsUnresolvedSecrets: false))
            },
            canonicalCIDR: { CIDR.canonical($0) ?? $0 },
            environment: environment)
    }
}
