import ArgumentParser
import Foundation
import Manifests
import NgrokModel
import Reconcile

struct ValidateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check the manifests offline: syntax, schema, references and ngrok's product rules.",
        discussion: """
            Exit 0 when valid (warnings allowed), 1 on errors. Needs no account and no network. Secrets \
            that cannot be resolved are a warning (CI jobs for pull requests have none) unless \
            --require-secrets. --format github prints GitHub Actions annotations (shown on the pull \
            request's diff); --format sarif prints a SARIF 2.1.0 log for code scanning.
            """)

    @OptionGroup var source: SourceOptions
    @Option(help: "text, json, github (workflow annotations) or sarif (SARIF 2.1.0).")
    var format: DiagnosticRenderer.Format = .text
    @Flag(help: "Fail when a secret (env variable or file) cannot be resolved.") var requireSecrets = false

    func run() async throws {
        let stackSource = try await Runtime.source(source)
        let loaded = StackSession.standard().load(stackSource, secrets: requireSecrets ? .required : .optional)
        let errors = loaded.diagnostics.errors
        let warnings = loaded.diagnostics.warnings
        // Files are named relative to the stack: place them in the repository.
        let paths = DiagnosticRenderer.Paths(
            base: Runtime.repositoryBase(), stackRoot: source.gitURL != nil ? source.gitPath : loaded.source.root)
        switch format {
        case .text:
            Terminal.err(DiagnosticRenderer.text(loaded.diagnostics, color: Terminal.useColor(STDERR_FILENO)))
            let count = loaded.stack?.resources.count ?? 0
            if errors.isEmpty {
                Terminal.out("Valid: stack \(OutputEscaping.text(loaded.stack?.name ?? "?")), \(count) resources, \(warnings.count) warnings.\n")
            } else {
                Terminal.err("Invalid: \(errors.count) errors, \(warnings.count) warnings.\n")
            }
        case .json:
            let value = WireValue.object([
                "valid": .bool(errors.isEmpty),
                "stack": loaded.stack.map { .string($0.name) } ?? .null,
                "resources": .int(loaded.stack?.resources.count ?? 0),
                "errors": .list(errors.map(DiagnosticRenderer.json)),
                "warnings": .list(warnings.map(DiagnosticRenderer.json)),
            ])
            Terminal.out(value.serialized(pretty: true) + "\n")
        case .github:
            Terminal.out(DiagnosticRenderer.githubAnnotations(loaded.diagnostics, paths: paths))
            Terminal.out(
                errors.isEmpty
                    ? "Valid: \(loaded.stack?.resources.count ?? 0) resources, \(warnings.count) warnings.\n"
                    : "Invalid: \(errors.count) errors, \(warnings.count) warnings.\n")
        case .sarif:
            Terminal.out(SARIFLog.text(loaded.diagnostics, toolVersion: Ngrokctl.version, paths: paths))
        }
        if !errors.isEmpty { throw ExitCode(ExitCodes.failure) }
    }
}

extension DiagnosticRenderer.Format: ExpressibleByArgument {}

struct SchemaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schema",
        abstract: "Write one JSON Schema (draft 2020-12) per kind, for editors and CI.",
        discussion: "Add `# yaml-language-server: $schema=<path>/<Kind>.schema.json` at the top of a manifest for completion.")

    @Option(help: "Directory to write the schemas into.") var out: String = "schemas"
    @Option(help: "Also write the module reference (Markdown) to this file.") var modulesDoc: String?

    func run() throws {
        let written = try SchemaExporter.write(to: out)
        for file in written { Terminal.out("wrote \(file)\n") }
        if let modulesDoc {
            try ModuleReference.markdown().write(toFile: modulesDoc, atomically: true, encoding: .utf8)
            Terminal.out("wrote \(modulesDoc)\n")
        }
    }
}
