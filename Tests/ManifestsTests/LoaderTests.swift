import Foundation
import NgrokModel
import Testing

@testable import Manifests

@Suite("Manifest loader")
struct LoaderTests {
    func load(_ files: [String: String], root: String = ".") -> LoadResult {
        ManifestLoader().load(root: root, fileSystem: InMemoryFileSystem(texts: files))
    }

    static let stack = CorpusCase.standardStack

    @Test func missingStackFile() {
        let result = load(["a.yaml": "apiVersion: ngrokctl/v1\nkind: IPPolicy\nmetadata: {name: a}\nspec: {}\n"])
        #expect(result.stack == nil)
        #expect(result.diagnostics.contains { $0.message.hasPrefix("no ngrokctl.yaml at the stack root") })
    }

    @Test func stackDefaults() throws {
        let result = load(["ngrokctl.yaml": Self.stack], root: ".")
        let stack = try #require(result.stack)
        #expect(result.diagnostics.isEmpty)
        #expect(stack.name == "corpus")
        #expect(stack.spec.prune == false)
        #expect(stack.spec.maxDeletions == nil)  // the operator's cap applies
        #expect(stack.spec.api.requestsPerMinute == 120)
        #expect(stack.spec.api.concurrency == 4)
        #expect(stack.spec.api.url == nil)
        #expect(stack.spec.defaultRegion == "us")
        #expect(stack.spec.tokenDirectory == nil)
    }

    @Test func stackSettingsAndTokenDirectory() throws {
        let result = load(
            [
                "stacks/prod/ngrokctl.yaml": """
                apiVersion: ngrokctl/v1
                kind: Stack
                metadata: {name: prod}
                spec:
                  api: {url: "local:/tmp/emu.sqlite", requestsPerMinute: 60, concurrency: 2}
                  prune: true
                  maxDeletions: 0
                  tokenDirectory: .tokens
                  defaults: {region: eu}
                """,
                "stacks/prod/domains.yaml": """
                apiVersion: ngrokctl/v1
                kind: ReservedDomain
                metadata: {name: a}
                spec: {domain: a.example.com}
                ---
                apiVersion: ngrokctl/v1
                kind: ReservedAddress
                metadata: {name: b}
                spec: {region: ap}
                """,
            ], root: "stacks/prod")
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics)")
        let stack = try #require(result.stack)
        #expect(stack.spec.api == StackSpec.API(url: "local:/tmp/emu.sqlite", requestsPerMinute: 60, concurrency: 2))
        #expect(stack.spec.prune)
        #expect(stack.spec.maxDeletions == 0)
        #expect(stack.spec.tokenDirectory == ".tokens")  // as written; resolved by the operator policy
        #expect(stack.spec.defaultRegion == "eu")
        #expect(stack.root == "stacks/prod")
        guard case .reservedDomain(let rd)? = stack.resource(ResourceAddress(.reservedDomain, "a"))?.spec,
            case .reservedAddress(let ra)? = stack.resource(ResourceAddress(.reservedAddress, "b"))?.spec
        else {
            Issue.record("resources missing")
            return
        }
        #expect(rd.region == "eu")
        #expect(ra.region == "ap")
        #expect(
            stack.spec.source.location(of: "spec.defaults.region")
                == SourceLocation(file: "ngrokctl.yaml", line: 9, column: 22))
    }

    @Test func sourceMapPaths() throws {
        let result = load([
            "ngrokctl.yaml": Self.stack,
            "edge/app.yaml": """
            apiVersion: ngrokctl/v1
            kind: EndpointConfiguration
            metadata:
              name: app
              labels: {team: web}
            spec:
              type: https
              modules:
                oauth:
                  provider: google
                  scopes: [openid, email]
                ipPolicy:
                  ipPolicies:
                    - office
            ---
            apiVersion: ngrokctl/v1
            kind: IPPolicy
            metadata: {name: office}
            spec:
              rules:
                - cidr: 10.0.0.0/8
                - cidr: 192.168.0.0/16
            """,
        ])
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics)")
        let stack = try #require(result.stack)
        let app = try #require(stack.resource(ResourceAddress(.endpointConfiguration, "app")))
        #expect(
            app.location(of: "spec.modules.oauth.scopes[1]")
                == SourceLocation(file: "edge/app.yaml", line: 11, column: 24))
        #expect(
            app.location(of: "spec.modules.ipPolicy.ipPolicies[0]")
                == SourceLocation(file: "edge/app.yaml", line: 14, column: 11))
        #expect(app.location(of: "metadata.name") == SourceLocation(file: "edge/app.yaml", line: 4, column: 9))
        #expect(app.source.document == SourceLocation(file: "edge/app.yaml", line: 1, column: 1))
        #expect(app.labels == ["team": "web"])
        let office = try #require(stack.resource(ResourceAddress(.ipPolicy, "office")))
        #expect(
            office.location(of: "spec.rules[1].cidr") == SourceLocation(file: "edge/app.yaml", line: 22, column: 13))
        #expect(office.source.document.line == 16)
    }

    @Test func durationsAndNumbers() throws {
        let result = load([
            "ngrokctl.yaml": Self.stack,
            "a.yaml": """
            apiVersion: ngrokctl/v1
            kind: EndpointConfiguration
            metadata: {name: a}
            spec:
              type: https
              modules:
                circuitBreaker: {trippedDuration: 30s, rollingWindow: 5m, numBuckets: 010, volumeThreshold: +7, errorThresholdPercentage: 1}
                oauth: {provider: google, inactivityTimeout: 2h, maximumDuration: 7d, authCheckInterval: 600}
            """,
        ])
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics)")
        guard case .endpointConfiguration(let ec)? = result.stack?.resources.first?.spec else {
            Issue.record("not loaded")
            return
        }
        #expect(
            ec.modules.circuitBreaker
                == CircuitBreakerModule(
                    trippedDuration: 30, rollingWindow: 300, numBuckets: 10, volumeThreshold: 7,
                    errorThresholdPercentage: 1.0))
        #expect(ec.modules.oauth?.inactivityTimeout == 7200)
        #expect(ec.modules.oauth?.maximumDuration == 604_800)
        #expect(ec.modules.oauth?.authCheckInterval == 600)
    }

    @Test func secretFilesResolveAgainstTheManifest() throws {
        let result = load([
            "ngrokctl.yaml": Self.stack,
            "tls/cert.yaml": """
            apiVersion: ngrokctl/v1
            kind: TLSCertificate
            metadata: {name: c}
            spec:
              certificatePem: {file: ../pem/bundle.pem}
              privateKeyPem: {file: ../pem/key.pem}
            """,
            "pem/bundle.pem": "CERT\n",
            "pem/key.pem": "KEY\n",
        ])
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics)")
        guard case .tlsCertificate(let tls)? = result.stack?.resources.first?.spec else {
            Issue.record("not loaded")
            return
        }
        #expect(tls.certificatePem == "CERT\n")
        #expect(tls.privateKeyPem == .file("pem/key.pem"))
    }

    @Test func secretFileChecksCanBeTurnedOff() throws {
        let files = [
            "ngrokctl.yaml": Self.stack,
            "c.yaml": """
            apiVersion: ngrokctl/v1
            kind: TLSCertificate
            metadata: {name: c}
            spec: {certificatePem: CERT, privateKeyPem: {file: /run/secrets/tls.key}}
            """,
        ]
        let strict = load(files)
        #expect(strict.diagnostics.map(\.message) == ["spec.privateKeyPem.file: cannot read \"/run/secrets/tls.key\": no such file"])
        let lenient = ManifestLoader(checksSecretFiles: false).load(root: ".", fileSystem: InMemoryFileSystem(texts: files))
        #expect(lenient.diagnostics.isEmpty)
        guard case .tlsCertificate(let tls)? = lenient.stack?.resources.first?.spec else {
            Issue.record("not loaded")
            return
        }
        #expect(tls.privateKeyPem == .file("/run/secrets/tls.key"))
    }

    @Test func ignoreFileSkipsManifests() throws {
        let result = load([
            "ngrokctl.yaml": Self.stack,
            ".ngrokctlignore": "# drafts\ndrafts/\n*.wip.yaml\n!keep.wip.yaml\n",
            "drafts/broken.yaml": "this: [is broken\n",
            "x.wip.yaml": "broken: [\n",
            "keep.wip.yaml": "apiVersion: ngrokctl/v1\nkind: IPPolicy\nmetadata: {name: kept}\nspec: {}\n",
            "notes.txt": "not yaml",
        ])
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics)")
        #expect(result.stack?.resources.map(\.name) == ["kept"])
    }

    @Test func allProblemsInOneRun() {
        let result = load([
            "ngrokctl.yaml": Self.stack + "spec: {prunee: true}\n",
            "a.yaml": "apiVersion: ngrokctl/v1\nkind: Credential\nmetadata: {name: a}\nspec: {acls: ['*']}\n",
            "b.yaml": "apiVersion: ngrokctl/v1\nkind: IPPolicy\nmetadata: {name: B}\nspec: {}\n",
            "c.yaml": "broken: [\n",
        ])
        let files = Set(result.diagnostics.compactMap { $0.location?.file })
        #expect(files == ["ngrokctl.yaml", "a.yaml", "b.yaml", "c.yaml"])
        #expect(result.stack != nil)
    }

    @Test func renderedDiagnostic() {
        let result = load([
            "ngrokctl.yaml": Self.stack,
            "creds/fleet.yaml":
                "apiVersion: ngrokctl/v1\nkind: Credential\nmetadata: {name: fleet}\nspec:\n  acl: []\n  acls: ['*']\n",
        ])
        #expect(
            result.diagnostics.map(\.description) == [
                "creds/fleet.yaml:6:3: Credential/fleet: unknown field \"acls\"; did you mean \"acl\"?"
            ])
    }

    @Test func directoryLoading() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ngrokctl-loader-\(UUID().uuidString)")
            .path
        try FileManager.default.createDirectory(atPath: dir + "/sub/.git", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Self.stack.write(toFile: dir + "/ngrokctl.yaml", atomically: true, encoding: .utf8)
        try "KEY".write(toFile: dir + "/sub/key.pem", atomically: true, encoding: .utf8)
        try "garbage: [".write(toFile: dir + "/sub/.git/config.yaml", atomically: true, encoding: .utf8)
        try """
        apiVersion: ngrokctl/v1
        kind: TLSCertificate
        metadata: {name: c}
        spec: {certificatePem: "CERT", privateKeyPem: {file: key.pem}}
        """.write(toFile: dir + "/sub/c.yml", atomically: true, encoding: .utf8)
        let result = ManifestLoader().load(directory: dir)
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics)")
        guard case .tlsCertificate(let tls)? = result.stack?.resources.first?.spec else {
            Issue.record("not loaded")
            return
        }
        #expect(tls.privateKeyPem == .file(dir + "/sub/key.pem"))
        #expect(result.stack?.root == dir)
    }

    @Test func missingDirectory() {
        let result = ManifestLoader().load(directory: "/nonexistent/ngrokctl-stack")
        #expect(result.stack == nil)
        #expect(result.diagnostics.first?.message.contains("cannot read the stack directory") == true)
    }
}
