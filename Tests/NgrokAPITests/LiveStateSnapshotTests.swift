import Foundation
import NgrokModel
import Reconcile
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

/// `NgrokClientAPI.snapshot()`: the live state `plan` reads, through `NgrokClient.listAll`.
@Suite struct LiveStateSnapshotTests {
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
        let live = try await NgrokClientAPI(client: client).snapshot()
        #expect(live.count == 3 + 1 + 1 + 1 + 230)
        #expect(live.all(.credential).count == 230)
        // 9 collections; credentials need 3 pages.
        #expect(transport.requests.count == 9 + 2)
        #expect(client.statistics.count(method: .get, collection: .credentials) == 3)

        let prod = live.owned(by: "prod")
        #expect(prod[ResourceAddress(.ipPolicy, "office")]?.map(\.id) == ["ipp_1", "ipp_3"])  // oldest first; the rule is not counted
        #expect(live.rulesByPolicy["ipp_1"]?.map { $0.json["cidr"]?.stringValue } == ["1.0.0.0/8"])
        #expect(live.owned(by: "staging").keys.map(\.description) == ["EndpointConfiguration/web"])
        #expect(prod.values.filter { $0.count > 1 }.count == 1 + 30)
        #expect(prod[ResourceAddress(.credential, "c5")]?.map(\.id) == ["cr_0005", "cr_0205"])
        #expect(live.all(.reservedDomain).first?.json["domain"]?.stringValue == "App.Example.com")
        #expect(live.all(.ipPolicy).first { $0.id == "ipp_2" }?.marker == nil)
    }

    @Test func retriedReadsGiveTheSameStateAndChangesShow() async throws {
        let a = try await NgrokClientAPI(client: makeClient(Self.account.transport())).snapshot()
        let b = try await NgrokClientAPI(client: makeClient(Self.account.transport(failEvery: 3))).snapshot()
        #expect(a.objects == b.objects)
        #expect(a.count == b.count)
        var objects = Self.account.objects
        objects[.reservedDomains] = [Self.json("rd_1", "2021-01-01T00:00:00Z", metadata: "changed", extra: #","domain":"app.example.com""#)]
        let c = try await NgrokClientAPI(client: makeClient(FakeAccount(objects).transport())).snapshot()
        #expect(c.objects != a.objects)
        #expect(c.all(.reservedDomain).map(\.json["metadata"]) == [.string("changed")])
    }

    @Test func oneCollectionAtATime() async throws {
        let transport = Self.account.transport()
        let api = NgrokClientAPI(client: makeClient(transport))
        let policies = try await api.listAll(.ipPolicies)
        let rules = try await api.listAll(.ipPolicyRules)
        #expect(policies.count + rules.count == 4)
        #expect(transport.requests.map(\.url) == [
            "https://fake.local/ip_policies?limit=100", "https://fake.local/ip_policy_rules?limit=100",
        ])
    }
}
