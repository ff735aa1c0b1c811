import Foundation
import NgrokModel
import Testing

@testable import Manifests

/// 10,000 resources load quickly (the release-build benchmark is `make bench`).
@Suite("Scale")
struct ScaleTests {
    static func stack(resources: Int, perFile: Int = 100) -> InMemoryFileSystem {
        var files: [String: String] = ["ngrokctl.yaml": CorpusCase.standardStack]
        var text = ""
        for i in 0..<resources {
            switch i % 4 {
            case 0:
                text += "---\napiVersion: ngrokctl/v1\nkind: IPPolicy\nmetadata: {name: p\(i)}\nspec:\n  rules:\n    - cidr: 10.0.0.0/8\n    - cidr: 2001:db8::/32\n"
            case 1:
                text += "---\napiVersion: ngrokctl/v1\nkind: EndpointConfiguration\nmetadata: {name: e\(i)}\nspec:\n  type: https\n  modules:\n    ipPolicy: {ipPolicies: [p\(i - 1)]}\n    requestHeaders: {add: {X-Id: \"${.ngrok.request_id}\"}}\n"
            case 2:
                text += "---\napiVersion: ngrokctl/v1\nkind: ReservedDomain\nmetadata: {name: d\(i)}\nspec:\n  domain: d\(i).example.com\n  httpsEndpointConfiguration: e\(i - 1)\n"
            default:
                text += "---\napiVersion: ngrokctl/v1\nkind: Credential\nmetadata: {name: c\(i)}\nspec:\n  acl: [\"bind:c\(i).example.com\"]\n"
            }
            if (i + 1) % perFile == 0 {
                files["r/\(i / perFile).yaml"] = text
                text = ""
            }
        }
        if !text.isEmpty { files["r/last.yaml"] = text }
        return InMemoryFileSystem(texts: files)
    }

    @Test func tenThousandResources() {
        let fs = Self.stack(resources: 10_000)
        let clock = ContinuousClock()
        var result: LoadResult?
        let elapsed = clock.measure { result = ManifestLoader().load(root: ".", fileSystem: fs) }
        #expect(result?.diagnostics.isEmpty == true)
        #expect(result?.stack?.resources.count == 10_000)
        print("loaded 10,000 resources in \(elapsed)")
        #expect(elapsed < .seconds(30))
    }
}
