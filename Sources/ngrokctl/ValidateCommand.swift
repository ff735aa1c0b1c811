import ArgumentParser
import Foundation
import Manifests
import NgrokModel
import Reconcile

struct ValidateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check the manifests offline: syntax, schema, references and ngrok's product rules.",
        discussion: "Exit 0 when valid (warnings allowed), 1 on errors. Needs no account and no network.")

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json }

    @OptionGroup var source: SourceOptions
    @Option(help: "text or json.") var format: Format = .text

    func run() async throws {
        let stackSource = try await Runtime.source(source)
        let loaded = StackSession.standard().load(stackSource)
        let errors = loaded.diagnostics.errors
        let warnings = loaded.diagnostics.warnings
        switch format {
        case .text:
            for d in loaded.diagnostics {
                Terminal.err((d.severity == .error ? "error: " : "") + OutputEscaping.text(d.description) + "\n")
            }
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
                "errors": .list(errors.map(\.wireValue)),
                "warnings": .list(warnings.map(\.wireValue)),
            ])
            Terminal.out(value.serialized(pretty: true) + "\n")
        }
        if !errors.isEmpty { throw ExitCode(ExitCodes.failure) }
    }
}

struct SchemaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schema",
        abstract: "Write one JSON Schema (draft 2020-12) per kind, for editors and CI.",
        discussion: "Add `# yaml-language-server: $schema=<path>/<Kind>.schema.json` at the top of a manifest for completion.")

    @Option(help: "Directory to write the schemas into.") var out: String = "schemas"

    func run() throws {
        let written = try SchemaExporter.write(to: out)
        for file in written { Terminal.out("wrote \(file)\n") }
    }
}
