import Foundation
import NgrokModel
import Synchronization
import Testing

@testable import NgrokAPI

/// An in-memory, paginating fake of the list endpoints.
final class FakeAccount: Sendable {
    let objects: [APICollection: [String]]  // JSON objects, newest first

    init(_ objects: [APICollection: [String]]) { self.objects = objects }

    func transport(failEvery: Int = 0) -> FakeTransport {
        FakeTransport { [objects] request, index in
            if failEvery > 0 && index % failEvery == 0 { return FakeTransport.error(503) }
            let components = URLComponents(string: request.url)!
            let name = String(components.path.dropFirst())
            guard let collection = APICollection(rawValue: name) else { return FakeTransport.error(404) }
            let all = objects[collection] ?? []
            let limit = Int(components.queryItems?.first { $0.name == "limit" }?.value ?? "100")!
            let before = components.queryItems?.first { $0.name == "before_id" }?.value
            let ids = all.map { try! JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }.map { $0["id"] as! String }
            let start = before.map { b in ids.firstIndex(of: b)! + 1 } ?? 0
            let end = min(all.count, start + limit)
            let next = end < all.count ? #""https://fake.local/\#(name)?before_id=\#(ids[end - 1])&limit=\#(limit)""# : "null"
            let body = #"{"\#(collection.listKey)":[\#(all[start..<end].joined(separator: ","))],"uri":"u","next_page_uri":\#(next)}"#
            return FakeTransport.json(200, body)
        }
    }
}

@Suite struct LiveSnapshotTests {
    static func marker(_ stack: String, _ kind: Kind, _ name: String) -> String {
        OwnershipMarker(stack: stack, address: ResourceAddress(kind, name)).encoded
    }

    static func json(_ id: String, _ created: String, metadata: String, extra: String = "") -> String {
        let meta = String(decoding: try! JSONEncoder().encode(metadata), as: UTF8.self)
        return #"{"id":"\#(id)","created_at":"\#(created)","metadata":\#(meta)\#(extra)}"#
    }

    static let account = FakeAccount([
        .ipPolicies: [
            json("ipp_3", "2021-01-03T00:00:00Z", metadata: marker("prod", .ipPolicy, "office"), extra: #","action":"allow""#),
            json("ipp_2", "2021-01-02T00:00:00Z", metadata: "", extra: #","action":"deny""#),
            json("ipp_1", "2021-01-01T00:00:00Z", metadata: marker("prod", .ipPolicy, "office"), extra: #","action":"allow""#),
        ],
        .ipPolicyRules: [
            json("ipr_1", "2021-01-01T00:00:00Z", metadata: marker("prod", .ipPolicy, "office"),
                 extra: #","cidr":"1.0.0.0/8","ip_policy":{"id":"ipp_1","uri":"u"}"#)
        ],
        .endpointConfigurations: [
            json("ec_1", "2021-01-01T00:00:00Z", metadata: marker("staging", .endpointConfiguration, "web"), extra: #","type":"https""#)
        ],
        .reservedDomains: [
            json("rd_1", "2021-01-01T00:00:00Z", metadata: "", extra: #","domain":"App.Example.com","region":"us""#)
        ],
        .credentials: (0..<230).map { i in
            json(String(format: "cr_%04d", 229 - i), "2021-02-01T00:00:00Z", metadata: marker("prod", .credential, "c\((229 - i) % 200)"))
        },
    ])

    @Test func readsEverythingAndIndexes() async throws {
        let transport = Self.account.transport()
        let client = makeClient(transport)
        let snapshot = try await client.snapshot()
        #expect(snapshot.count == 3 + 1 + 1 + 1 + 230)
        #expect(snapshot.credentials.count == 230)
        // 9 collections; credentials need 3 pages.
        #expect(transport.requests.count == 9 + 2)
        #expect(client.statistics.count(method: .get, collection: "credentials") == 3)

        let office = snapshot.owned(by: "prod", address: ResourceAddress(.ipPolicy, "office"))
        #expect(office.map(\.id) == ["ipp_1", "ipp_3"])  // oldest first; the rule is not counted
        #expect(snapshot.rules(ofPolicy: "ipp_1").map(\.cidr) == ["1.0.0.0/8"])
        #expect(snapshot.owned(by: "staging").keys.map(\.description) == ["EndpointConfiguration/web"])
        #expect(snapshot.duplicates(of: "prod").count == 1 + 30)
        #expect(snapshot.owned(by: "prod", address: ResourceAddress(.credential, "c5")).map(\.id) == ["cr_0005", "cr_0205"])
        #expect(snapshot.object(id: "ipp_2")?.collection == .ipPolicies)
        #expect(snapshot.reservedDomain(named: "app.example.com")?.id == "rd_1")
        #expect(snapshot.stacks == ["prod", "staging"])
    }

    @Test func fingerprintIsStableAndSensitive() async throws {
        let a = try await makeClient(Self.account.transport()).snapshot()
        let b = try await makeClient(Self.account.transport(failEvery: 3)).snapshot()
        #expect(a.fingerprint == b.fingerprint)
        #expect(a == b)
        #expect(a.fingerprint.count == 64)
        var objects = Self.account.objects
        objects[.reservedDomains] = [Self.json("rd_1", "2021-01-01T00:00:00Z", metadata: "changed", extra: #","domain":"app.example.com""#)]
        let c = try await makeClient(FakeAccount(objects).transport()).snapshot()
        #expect(c.fingerprint != a.fingerprint)
    }

    @Test func partialSnapshots() async throws {
        let snapshot = try await makeClient(Self.account.transport()).snapshot(collections: [.ipPolicies, .ipPolicyRules])
        #expect(snapshot.count == 4)
        #expect(snapshot.collections == [.ipPolicies, .ipPolicyRules])
    }
}
