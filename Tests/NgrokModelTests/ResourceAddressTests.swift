import Foundation
import NgrokModel
import Testing

@Suite struct ResourceAddressTests {
    @Test func parsesAndPrints() throws {
        let address = try #require(ResourceAddress(parsing: "EndpointConfiguration/api-https"))
        #expect(address.kind == .endpointConfiguration)
        #expect(address.name == "api-https")
        #expect(address.description == "EndpointConfiguration/api-https")
    }

    @Test(arguments: ["", "IPPolicy", "IPPolicy/", "/office", "ipPolicy/office", "Unknown/x"])
    func rejectsMalformed(text: String) {
        #expect(ResourceAddress(parsing: text) == nil)
    }

    @Test func ordersByKindThenName() {
        let addresses = [
            ResourceAddress(.reservedDomain, "a"), ResourceAddress(.credential, "b"), ResourceAddress(.credential, "a"),
        ]
        #expect(addresses.sorted().map(\.description) == ["Credential/a", "Credential/b", "ReservedDomain/a"])
    }

    @Test func kindsRankInDeclarationOrder() {
        #expect(Kind.allCases.map(\.displayRank) == Array(0..<Kind.allCases.count))
    }

    @Test func codableAsItsText() throws {
        let data = try JSONEncoder().encode([ResourceAddress(.ipPolicy, "office")])
        #expect(try JSONDecoder().decode([ResourceAddress].self, from: data) == [ResourceAddress(.ipPolicy, "office")])
        #expect(String(decoding: data, as: UTF8.self).contains("IPPolicy"))
    }
}
