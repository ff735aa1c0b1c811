import NgrokModel

/// Reads a stack directory into `NgrokModel.Stack`, reporting every problem in one run.
///
/// A stack is every `*.yaml` / `*.yml` below the root (recursively, multi-document files
/// allowed, `.ngrokctlignore` honoured) plus exactly one `ngrokctl.yaml` of kind `Stack`
/// at the root. Diagnostics name files relative to the root.
public struct ManifestLoader: Sendable {
    public static let stackFileName = "ngrokctl.yaml"
    public static let ignoreFileName = ".ngrokctlignore"

    public var limits: ManifestLimits
    /// Check at load time that `{file: PATH}` secrets are readable (their values are only
    /// read later, by `SecretResolver`). Turn off when secrets live elsewhere than the files.
    public var checksSecretFiles: Bool

    public init(limits: ManifestLimits = .standard, checksSecretFiles: Bool = true) {
        self.limits = limits
        self.checksSecretFiles = checksSecretFiles
    }

    /// Loads a directory on disk (made absolute against the current directory).
    public func load(directory: String) -> LoadResult {
        load(root: DirectoryFileSystem.absolute(directory), fileSystem: DirectoryFileSystem())
    }

    /// Loads the stack rooted at `root` in `fileSystem`'s namespace.
    public func load(root: String, fileSystem: any ManifestFileSystem) -> LoadResult {
        var run = LoadRun(loader: self, root: ManifestPath.normalize(root), fileSystem: fileSystem)
        return run.load()
    }
}

/// The state of one load.
struct LoadRun {
    let loader: ManifestLoader
    let root: String
    let fileSystem: any ManifestFileSystem
    var limits: ManifestLimits { loader.limits }

    var diagnostics: [Diagnostic] = []
    var stackSpec: StackSpec?
    var stackNameValid = false
    var resources: [Resource] = []
    /// Every declared name (broken documents included), for duplicate and reference checks.
    var declared: [ResourceAddress: SourceLocation] = [:]
    var namesByString: [String: [Kind]] = [:]
    var documentCount = 0
    var tooMany = false

    init(loader: ManifestLoader, root: String, fileSystem: any ManifestFileSystem) {
        self.loader = loader
        self.root = root
        self.fileSystem = fileSystem
    }

    func fsPath(_ relative: String) -> String { ManifestPath.join(root, relative) }

    mutating func load() -> LoadResult {
        let files: [String]
        do {
            files = try fileSystem.listFiles(under: root)
        } catch {
            diagnostics.append(
                .error(at: nil, nil, "cannot read the stack directory \(root): \(error)", hint: "check the path"))
            return LoadResult(stack: nil, diagnostics: diagnostics)
        }
        var ignore = IgnoreRules(text: "")
        if files.contains(ManifestLoader.ignoreFileName) {
            do {
                let bytes = try fileSystem.readFile(
                    at: fsPath(ManifestLoader.ignoreFileName), limit: limits.maxFileBytes)
                ignore = IgnoreRules(text: String(decoding: bytes, as: UTF8.self))
            } catch {
                diagnostics.append(
                    .error(
                        at: SourceLocation(file: ManifestLoader.ignoreFileName, line: 1, column: 1), nil,
                        "cannot read \(ManifestLoader.ignoreFileName): \(error)", hint: "fix or remove it"))
            }
        }
        var manifests = files.filter {
            ($0.hasSuffix(".yaml") || $0.hasSuffix(".yml"))
                && ($0 == ManifestLoader.stackFileName || !ignore.isIgnored($0))
        }
        if manifests.count > limits.maxFiles {
            diagnostics.append(
                .error(
                    at: nil, nil, "too many manifest files (\(manifests.count), limit \(limits.maxFiles))",
                    hint: "split the stack or ignore files in \(ManifestLoader.ignoreFileName)"))
            manifests = Array(manifests.prefix(limits.maxFiles))
        }

        if manifests.contains(ManifestLoader.stackFileName) {
            loadFile(ManifestLoader.stackFileName, isStackFile: true)
        } else {
            diagnostics.append(
                .error(
                    at: nil, nil, "no \(ManifestLoader.stackFileName) at the stack root \(root)",
                    hint: "create it with apiVersion: ngrokctl/v1, kind: Stack and metadata.name"))
        }
        for file in manifests where file != ManifestLoader.stackFileName {
            if tooMany { break }
            loadFile(file, isStackFile: false)
        }
        checkReferences()

        var stack: Stack?
        if let spec = stackSpec, stackNameValid {
            stack = Stack(spec: spec, resources: resources, root: root)
        }
        return LoadResult(stack: stack, diagnostics: diagnostics.sortedForDisplay())
    }

    // MARK: Files and documents

    mutating func loadFile(_ file: String, isStackFile: Bool) {
        let start = SourceLocation(file: file, line: 1, column: 1)
        let bytes: [UInt8]
        do {
            bytes = try fileSystem.readFile(at: fsPath(file), limit: limits.maxFileBytes)
        } catch {
            let hint = if case .tooLarge = error { "split it into smaller files" } else { "check the file" }
            diagnostics.append(.error(at: start, nil, "cannot read the file: \(error)", hint: hint))
            return
        }
        let output = YAMLComposer(limits: limits).compose(bytes)
        for problem in output.problems {
            diagnostics.append(
                .error(
                    at: SourceLocation(file: file, line: problem.mark.line, column: problem.mark.column), nil,
                    problem.message,
                    hint: problem.hint))
        }
        var stackDocuments = 0
        for document in output.documents where !document.root.isNull {
            documentCount += 1
            if documentCount > limits.maxResources {
                diagnostics.append(
                    .error(
                        at: SourceLocation(file: file, line: document.start.line, column: document.start.column), nil,
                        "too many resources (limit \(limits.maxResources))", hint: "split the stack"))
                tooMany = true
                return
            }
            loadDocument(document, file: file, isStackFile: isStackFile, stackDocuments: &stackDocuments)
        }
        if isStackFile && stackDocuments == 0 && output.problems.isEmpty
            && !diagnostics.contains(where: { $0.location?.file == file })
        {
            diagnostics.append(
                .error(
                    at: start, nil, "\(file) holds no Stack document",
                    hint: "add apiVersion: ngrokctl/v1, kind: Stack and metadata.name"))
        }
    }

    mutating func loadDocument(_ document: YAMLDocument, file: String, isStackFile: Bool, stackDocuments: inout Int) {
        var decoder = DocumentDecoder(
            file: file, directory: ManifestPath.directory(of: fsPath(file)), fileSystem: fileSystem, limits: limits,
            checksSecretFiles: loader.checksSecretFiles)
        let rootNode = document.root
        guard case .mapping(let pairs) = rootNode.content else {
            decoder.error(
                rootNode.mark,
                "a manifest must be a mapping with apiVersion, kind, metadata and spec, got \(decoder.describe(rootNode))",
                hint: "start the document with apiVersion: ngrokctl/v1")
            diagnostics += decoder.diagnostics
            return
        }
        // Find the kind first: it selects the field table.
        guard let kindPair = pairs.first(where: { $0.key.scalar == "kind" }) else {
            decoder.error(
                rootNode.mark, "missing required field \"kind\"",
                hint: "add kind: one of \(ManifestSchema.kindNames.joined(separator: ", "))")
            diagnostics += decoder.diagnostics
            return
        }
        let kindName = decoder.string(kindPair.value) ?? ""
        guard let shape = ManifestSchema.document(for: kindName) else {
            let close = EditDistance.suggestion(for: kindName, among: ManifestSchema.kindNames)
            decoder.error(
                kindPair.value.mark, "unknown kind \"\(DocumentDecoder.clip(kindName))\"",
                hint: close.map { "did you mean \"\($0)\"?" }
                    ?? "use one of \(ManifestSchema.kindNames.joined(separator: ", "))")
            diagnostics += decoder.diagnostics
            return
        }
        let kind = Kind(rawValue: kindName)
        let rawName = pairs.first(where: { $0.key.scalar == "metadata" }).flatMap { metadata -> String? in
            guard case .mapping(let m) = metadata.value.content else { return nil }
            return m.first(where: { $0.key.scalar == "name" }).flatMap { decoder.string($0.value) }
        }
        if let kind, let rawName, !rawName.isEmpty { decoder.address = ResourceAddress(kind, rawName) }

        if kind == nil {
            stackDocuments += 1
            if !isStackFile {
                decoder.error(
                    kindPair.value.mark, "kind Stack is only allowed in the root \(ManifestLoader.stackFileName)",
                    hint: "move it to \(ManifestLoader.stackFileName) at the stack root")
            } else if stackDocuments > 1 || stackSpec != nil {
                decoder.error(
                    kindPair.value.mark, "\(file) must hold exactly one Stack document", hint: "remove the extra one")
            }
        } else if isStackFile {
            decoder.error(
                kindPair.value.mark, "\(ManifestLoader.stackFileName) must hold only the Stack document",
                hint: "move this \(kindName) to another file")
        }
        let before = decoder.diagnostics.count
        let decoded = decoder.decodeObject(rootNode, shape, path: "")
        let clean = decoded != nil && decoder.diagnostics.count == before && decoder.diagnostics.isEmpty
        let source = SourceMap(document: decoder.location(rootNode.mark), fields: decoder.fields)
        let metadata = decoded?.object("metadata")
        let spec = decoded?.object("spec")

        if let kind {
            // Register the name even when the document is broken, so references to it do not
            // cascade into "not found" errors.
            var duplicate = false
            if let rawName, Names.isValid(rawName) {
                let address = ResourceAddress(kind, rawName)
                let here = source.location(of: "metadata.name")
                if let first = declared[address] {
                    decoder.error(
                        YAMLMark(line: here.line, column: here.column),
                        "duplicate name: \(address) is already defined at \(first)", hint: "rename one of them")
                    duplicate = true
                } else {
                    declared[address] = here
                    namesByString[rawName, default: []].append(kind)
                }
            }
            diagnostics += decoder.diagnostics
            guard clean, !duplicate, let rawName, let spec,
                let built = ResourceBuilder.spec(kind, spec, defaultRegion: stackSpec?.defaultRegion ?? "us")
            else { return }
            var labels: [String: String] = [:]
            for pair in metadata?.pairs("labels") ?? [] { labels[pair.key] = pair.value }
            resources.append(
                Resource(
                    address: ResourceAddress(kind, rawName), source: source, labels: labels,
                    common: ResourceBuilder.common(spec), spec: built))
        } else {
            diagnostics += decoder.diagnostics
            guard isStackFile, stackSpec == nil else { return }
            // When the settings have errors they fall back to their defaults; the stack stays
            // usable (for reporting) as long as its name is valid.
            let name = rawName ?? ""
            stackNameValid = Names.isValid(name)
            stackSpec = buildStack(name: name, spec: spec ?? DecodedObject(), source: source)
        }
    }

    func buildStack(name: String, spec: DecodedObject, source: SourceMap) -> StackSpec {
        let api = spec.object("api") ?? DecodedObject()
        var stack = StackSpec(
            name: name, source: source,
            api: StackSpec.API(
                url: api.string("url"), requestsPerMinute: api.int("requestsPerMinute") ?? 120,
                concurrency: api.int("concurrency") ?? 4),
            prune: spec.bool("prune") ?? false, maxDeletions: spec.int("maxDeletions"),
            tokenDirectory: spec.string("tokenDirectory"),
            defaultRegion: spec.object("defaults")?.string("region") ?? "us")
        stack.tokenCommand = spec.string("tokenCommand")
        return stack
    }

    // MARK: References

    mutating func checkReferences() {
        var edges: [ResourceAddress: [ResourceAddress]] = [:]
        var sites: [ResourceAddress: [ResourceAddress: SourceLocation]] = [:]
        for resource in resources {
            for (path, target) in resource.spec.references {
                let at = resource.location(of: path)
                if declared[target] != nil {
                    edges[resource.address, default: []].append(target)
                    sites[resource.address, default: [:]][target] = sites[resource.address]?[target] ?? at
                    continue
                }
                let field = path
                if let others = namesByString[target.name], let other = others.first {
                    diagnostics.append(
                        .error(
                            at: at, resource.address,
                            "\(field): \"\(target.name)\" is a\(Self.article(other)) \(other.rawValue), not a\(Self.article(target.kind)) \(target.kind.rawValue)",
                            hint: "name a\(Self.article(target.kind)) \(target.kind.rawValue) here"))
                } else {
                    let candidates = declared.keys.filter { $0.kind == target.kind }.map(\.name).sorted()
                    let close = EditDistance.suggestion(for: target.name, among: candidates)
                    diagnostics.append(
                        .error(
                            at: at, resource.address, "\(field): no \(target.kind.rawValue) named \"\(target.name)\"",
                            hint: close.map { "did you mean \"\($0)\"?" }
                                ?? "declare \(target.kind.rawValue)/\(target.name) or fix the name"))
                }
            }
        }
        for cycle in ReferenceGraph.cycles(edges) {
            guard let first = cycle.first else { continue }
            let next = cycle.count > 1 ? cycle[1] : first
            let at = sites[first]?[next] ?? declared[first]
            let text = (cycle + [first]).map(\.description).joined(separator: " -> ")
            diagnostics.append(.error(at: at, first, "reference cycle: \(text)", hint: "break the cycle"))
        }
    }

    static func article(_ kind: Kind) -> String {
        switch kind {
        case .ipPolicy, .ipWhitelistEntry, .endpointConfiguration: "n"
        default: ""
        }
    }
}
