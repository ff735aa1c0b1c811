import Foundation
import Manifests
import NgrokModel

/// What the operator decides (flags, environment, controller config) rather than the manifest
/// author: where the API key goes, how much may be deleted, where tokens are written, which files
/// may be read and which stack is managed. A manifest may narrow these settings, never widen them.
/// See docs/security.md.
public struct OperatorPolicy: Sendable {
    public static let defaultMaxDeletions = 10

    /// The API base URL the operator chose (`--api-url`, `NGROK_API_URL`, controller config), or
    /// the default `https://api.ngrok.com`.
    public var apiURL: String
    /// `--allow-manifest-api-url`: the stack's `spec.api.url` (not `local:`) replaces `apiURL`.
    public var allowManifestAPIURL: Bool
    /// The operator's deletion cap (`--max-deletions`, controller `maxDeletions`); the stack's
    /// `maxDeletions` can only lower it.
    public var maxDeletions: Int
    /// `--allow-deletions N`: the operator approves this many deletions for one run, whatever the caps say.
    public var approvedDeletions: Int?
    /// `--allow-empty-stack`: a plan may delete every owned object.
    public var allowEmptyStack: Bool
    /// The stack this operator manages (controller `stack`); nil = whichever the manifests name.
    public var stackName: String?
    /// The directory a manifest's relative `tokenDirectory` is resolved against, and must stay inside.
    public var tokenBase: String
    /// An operator token directory (`--token-dir`, controller `tokenDirectory`): it becomes the
    /// base, and tokens go there when the stack names none.
    public var tokenDirectory: String?

    public init(
        apiURL: String = "https://api.ngrok.com", allowManifestAPIURL: Bool = false,
        maxDeletions: Int = OperatorPolicy.defaultMaxDeletions, approvedDeletions: Int? = nil,
        allowEmptyStack: Bool = false, stackName: String? = nil, tokenBase: String, tokenDirectory: String? = nil
    ) {
        self.apiURL = apiURL
        self.allowManifestAPIURL = allowManifestAPIURL
        self.maxDeletions = maxDeletions
        self.approvedDeletions = approvedDeletions
        self.allowEmptyStack = allowEmptyStack
        self.stackName = stackName
        self.tokenBase = tokenBase
        self.tokenDirectory = tokenDirectory
    }

    // MARK: API URL

    /// The base URL to use for a stack whose manifest says `manifestURL`. Throws when the manifest
    /// asks for another URL than the operator's (unless allowed), or for the embedded emulator.
    public func apiURL(manifestURL: String?) throws(PolicyError) -> String {
        guard let manifestURL, !manifestURL.isEmpty else { return apiURL }
        if manifestURL.hasPrefix("local:") {
            throw PolicyError(
                "spec.api.url: local: (the embedded emulator) is never taken from a manifest; "
                    + "the operator passes --api-url local:PATH instead")
        }
        if Self.sameURL(manifestURL, apiURL) || allowManifestAPIURL { return manifestURL }
        throw PolicyError(
            "spec.api.url is \(Self.shown(manifestURL)) but the operator's API URL (--api-url, NGROK_API_URL or the "
                + "controller config) is \(Self.shown(apiURL)); remove spec.api.url from the manifest, or pass "
                + "--allow-manifest-api-url to use it")
    }

    static func sameURL(_ a: String, _ b: String) -> Bool {
        func trimmed(_ s: String) -> String {
            var s = s.lowercased()
            while s.hasSuffix("/") { s.removeLast() }
            return s
        }
        return trimmed(a) == trimmed(b)
    }

    /// A URL for an error message: without user-info, path or query (it came from a manifest).
    static func shown(_ url: String) -> String {
        if url.hasPrefix("local:") { return "local:…" }
        guard let c = URLComponents(string: url), let scheme = c.scheme, let host = c.host else {
            return OutputEscaping.text(String(url.prefix(60)))
        }
        return OutputEscaping.text("\(scheme)://\(host)\(c.port.map { ":\($0)" } ?? "")")
    }

    // MARK: Deletions

    /// The cap for this stack: the operator's, lowered by the stack's `maxDeletions`, unless the
    /// operator approved a number for this run.
    public func deletionCap(for stack: StackSpec) -> Int {
        if let approvedDeletions { return approvedDeletions }
        return min(maxDeletions, stack.maxDeletions ?? maxDeletions)
    }

    // MARK: Tokens

    /// Where new credential tokens of `stack` are written; nil when neither the stack nor the
    /// operator names a directory. Throws when the stack's `tokenDirectory` is absolute or leaves
    /// the base directory (symlinks followed).
    public func tokenDirectory(for stack: StackSpec) throws(PolicyError) -> String? {
        let base = tokenDirectory ?? tokenBase
        guard let relative = stack.tokenDirectory else { return tokenDirectory }
        guard !relative.hasPrefix("/") else {
            throw PolicyError(
                "spec.tokenDirectory must be relative (to \(tokenDirectory != nil ? "the operator's token directory" : "the stack directory")); "
                    + "an absolute path is the operator's choice: --token-dir DIR or the controller's tokenDirectory")
        }
        let joined = ManifestPath.join(base, relative)
        guard ConfinedFileSystem.isInside(joined, base), ConfinedFileSystem.isInside(ConfinedFileSystem.resolved(joined), ConfinedFileSystem.resolved(base))
        else {
            throw PolicyError(
                "spec.tokenDirectory \(OutputEscaping.text(relative)) leaves \(tokenDirectory != nil ? "the operator's token directory" : "the stack directory"); "
                    + "use a directory inside it, or let the operator choose one with --token-dir DIR")
        }
        return joined
    }

    // MARK: Checks

    /// Problems with a loaded stack before anything is read from the API: the stack name and the
    /// settings the operator owns.
    public func check(_ stack: Stack) -> [Diagnostic] {
        var out: [Diagnostic] = []
        if let expected = stackName, expected != stack.name {
            out.append(
                .error(
                    at: stack.spec.source.location(of: "metadata.name"), nil,
                    "this is stack \(OutputEscaping.text(stack.name)), but the operator manages stack \(expected)",
                    hint: "a commit may not rename the stack or bring another stack's manifests; fix metadata.name"))
        }
        do { _ = try apiURL(manifestURL: stack.spec.api.url) } catch {
            out.append(.error(at: stack.spec.source.location(of: "spec.api.url"), nil, error.message, hint: ""))
        }
        do { _ = try tokenDirectory(for: stack.spec) } catch {
            out.append(.error(at: stack.spec.source.location(of: "spec.tokenDirectory"), nil, error.message, hint: ""))
        }
        return out
    }

    /// Problems with a plan under this policy: too many deletions, or every owned object deleted.
    public func check(_ plan: Plan, stack: Stack) -> [Diagnostic] {
        var out: [Diagnostic] = []
        let cap = deletionCap(for: stack.spec)
        let count = plan.deletionCount
        if count > cap {
            let whose =
                approvedDeletions != nil ? "--allow-deletions"
                : (stack.spec.maxDeletions ?? Int.max) < maxDeletions ? "the stack's maxDeletions" : "the operator's --max-deletions"
            out.append(
                .error(
                    at: nil, nil,
                    "the plan deletes \(count) objects (IP policy rules, whitelist entries and detachments count), "
                        + "more than \(cap) allowed by \(whose); nothing will be applied",
                    hint: "review the plan, then re-run with --allow-deletions \(count)"))
        }
        if !allowEmptyStack, stack.resources.isEmpty, plan.deletesObjects {
            out.append(
                .error(
                    at: stack.spec.source.document, nil,
                    "the stack declares no resources, so the plan deletes every object it owns; nothing will be applied",
                    hint: "if the stack really should be emptied, re-run with --allow-empty-stack"))
        }
        return out
    }
}

public struct PolicyError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
