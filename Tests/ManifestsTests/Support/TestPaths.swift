import Foundation

/// Locations in the repository, found from this file's path.
enum TestPaths {
    /// The repository root (three levels above Tests/ManifestsTests/Support).
    static let repoRoot: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<4 { url.deleteLastPathComponent() }
        return url.path
    }()

    static var schemas: String { repoRoot + "/schemas" }
    static var examples: String { repoRoot + "/examples" }

    /// The corpus folder: the bundled copy, else the source folder.
    static let corpus: String = {
        if let url = Bundle.module.url(forResource: "Corpus", withExtension: nil) { return url.path }
        return repoRoot + "/Tests/ManifestsTests/Corpus"
    }()
}
