import Foundation
import NgrokModel

/// Hand-built model values for validator tests.
enum Fixtures {
    static let root = "/stacks/prod"

    /// A resource whose every listed path has its own line (line = index + 2, column 3).
    static func resource(
        _ kind: Kind, _ name: String, _ spec: ResourceSpec, paths: [String] = [], common: CommonSpec = CommonSpec()
    ) -> Resource {
        let file = "\(kind.rawValue.lowercased())-\(name).yaml"
        var fields: [String: NgrokModel.SourceLocation] = [:]
        for (i, path) in paths.enumerated() {
            fields[path] = NgrokModel.SourceLocation(file: file, line: i + 2, column: 3)
        }
        return Resource(
            address: ResourceAddress(kind, name),
            source: SourceMap(document: NgrokModel.SourceLocation(file: file, line: 1, column: 1), fields: fields),
            common: common, spec: spec)
    }

    static func stack(_ resources: [Resource], name: String = "prod", root: String = root) -> Stack {
        Stack(
            spec: StackSpec(
                name: name,
                source: SourceMap(document: NgrokModel.SourceLocation(file: "ngrokctl.yaml", line: 1, column: 1))),
            resources: resources, root: root)
    }
}
