import NgrokModel
import Testing

@Suite struct APICollectionTests {
    @Test func kindAndCollectionAreInverses() {
        for kind in Kind.allCases { #expect(kind.collection.kind == kind) }
        #expect(APICollection.ipPolicyRules.kind == nil)
        #expect(Set(Kind.allCases.map(\.collection)).count == Kind.allCases.count)
    }

    @Test func idPrefixesNameTheirCollection() {
        #expect(Set(APICollection.allCases.map(\.idPrefix)).count == APICollection.allCases.count)
        for collection in APICollection.allCases {
            #expect(APICollection(id: collection.idPrefix + "2abc") == collection)
        }
        #expect(APICollection.ipWhitelist.listKey == "whitelist")
    }
}
