import ArgumentParser

@main
struct Ngrokctl: AsyncParsableCommand {
    static let version = "0.1.0"

    static let configuration = CommandConfiguration(
        commandName: "ngrokctl",
        abstract: "Declare ngrok link resources in git and keep the account equal to them.",
        version: version,
        subcommands: [
            ValidateCommand.self, SchemaCommand.self, PlanCommand.self, ApplyCommand.self, RotateCommand.self,
            EmulatorCommand.self, ControllerCommand.self, ServiceCommand.self, ImportCommand.self, ExplainCommand.self,
        ])
}
