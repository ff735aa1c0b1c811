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

    /// The corpus folder: the source folder (so edits need no rebuild), else the bundled copy.
    static let corpus: String = {
        let source = repoRoot + "/Tests/ManifestsTests/Corpus"
        if FileManager.default.fileExists(atPath: source) { return source }
        return Bundle.module.url(forResource: "Corpus", withExtension: nil)?.path ?? source
    }()
}
