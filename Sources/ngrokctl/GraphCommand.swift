import ArgumentParser
import Foundation
import NgrokModel
import Reconcile

struct GraphCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "graph",
        abstract: "Draw the stack: every resource and what it refers to, as Mermaid or Graphviz DOT.",
        discussion: """
            Offline, like validate: needs no account and no secrets. Arrows point from a resource to the \
            resource it refers to (a reserved domain to its endpoint configuration, a configuration to its \
            IP policies). Example: ngrokctl graph stack --format dot | dot -Tsvg > stack.svg
            """)

    @OptionGroup var source: SourceOptions
    @Option(help: "mermaid or dot.") var format: GraphRenderer.Format = .mermaid

    func run() async throws {
        let loaded = StackSession.standard().load(try await Runtime.source(source), secrets: .optional)
        guard let stack = loaded.stack, loaded.ok else {
            Terminal.err(DiagnosticRenderer.text(loaded.diagnostics, color: Terminal.useColor(STDERR_FILENO)))
            Terminal.err("The manifests are not valid: fix them first (ngrokctl validate).\n")
            throw ExitCode(ExitCodes.failure)
        }
        Terminal.out(GraphRenderer.render(ResourceGraph.stack(stack), format: format, name: stack.name))
    }
}

extension GraphRenderer.Format: ExpressibleByArgument {}
