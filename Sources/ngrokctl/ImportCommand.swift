import ArgumentParser
import Foundation
import NgrokAPI
import NgrokModel
import Reconcile

struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Write the account as a ready stack: manifests with adopt: true, PEM files, .env.example.",
        discussion: """
            Reads the account (one paginated list per collection, as plan does) and writes ngrokctl.yaml \
            and manifests by concern (network/, auth/, edges/, domains/, devices/). Objects owned by \
            another stack are skipped and listed. Secrets the API never returns become {env: …} \
            references listed in .env.example. Then: set the secrets, `ngrokctl plan DIR` shows only \
            adoptions, `ngrokctl apply DIR` takes the objects over.
            """)

    @Option(help: "The directory to write the stack into (refused when not empty, unless --force).") var out: String
    @Option(name: .customLong("kind"), help: "Only this kind (repeatable), e.g. IPPolicy.") var kinds: [String] = []
    @Option(help: "The stack name to write (objects owned by other stacks are skipped).") var stack: String = "imported"
    @Flag(help: "Write into a non-empty directory, overwriting files of the same name.") var force = false
    @OptionGroup var api: APIOptions

    func validate() throws {
        for kind in kinds where Kind(rawValue: kind) == nil {
            throw ValidationError(
                "--kind \(kind) is not a kind; use one of " + Kind.allCases.map(\.rawValue).joined(separator: ", "))
        }
        guard NameAllocator.isValid(stack) else {
            throw ValidationError("--stack \(stack) is not a valid name: lower-case letters, digits and '-', at most 63")
        }
    }

    func run() async throws {
        // Refuse before reading the account.
        var isDirectory: ObjCBool = false
        if !force, FileManager.default.fileExists(atPath: out, isDirectory: &isDirectory), isDirectory.boolValue,
            !((try? FileManager.default.contentsOfDirectory(atPath: out)) ?? []).isEmpty
        {
            Terminal.err("error: \(StackImporter.ImportError.notEmpty(out, (try? FileManager.default.contentsOfDirectory(atPath: out).count) ?? 0))\n")
            throw ExitCode(ExitCodes.failure)
        }
        let connection = try await Runtime.connect(api)
        let state: LiveState
        do {
            state = try await connection.api.snapshot()
        } catch {
            await connection.close()
            throw error
        }
        if api.verbose { Terminal.err(connection.client.statistics.description + "\n") }
        await connection.close()
        let result = StackImporter(
            live: state, options: .init(stack: stack, kinds: Set(kinds.compactMap(Kind.init(rawValue:))))
        ).run()
        do {
            try StackImporter.write(result, to: out, force: force)
        } catch let error as StackImporter.ImportError {
            Terminal.err("error: \(error)\n")
            throw ExitCode(ExitCodes.failure)
        }
        Terminal.out(result.summary)
        Terminal.out("Wrote \(out). Next: set the variables of .env.example, then `ngrokctl plan \(out)`.\n")
    }
}
