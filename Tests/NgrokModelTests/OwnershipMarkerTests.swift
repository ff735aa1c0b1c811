import Foundation
import NgrokModel
import Testing

@Suite struct OwnershipMarkerTests {
    @Test func encodesCompactSortedJSON() {
        let marker = OwnershipMarker(stack: "prod", address: ResourceAddress(.ipPolicy, "office"), fingerprint: "abc")
        #expect(marker.encoded == #"{"ngrokctl":{"fp":"abc","ref":"IPPolicy/office","stack":"prod"}}"#)
    }

    @Test func roundTripsEveryField() throws {
        let marker = OwnershipMarker(
            stack: "prod", address: ResourceAddress(.credential, "sensor-1"), fingerprint: "f",
            userMetadata: #"{"team":"iot"} / "quoted""#, retain: true, protect: true)
        let parsed = try #require(OwnershipMarker(metadata: marker.encoded))
        #expect(parsed == marker)
    }

    @Test(arguments: [
        "", "plain text", "{}", #"{"ngrokctl":1}"#, #"{"ngrokctl":{"stack":"a"}}"#,
        #"{"ngrokctl":{"stack":"a","ref":"Nope/x"}}"#, #"{"ngrokctl":{"stack":"a","ref":"IPPolicy/"}}"#, "{not json",
    ])
    func rejectsWhatIsNotAMarker(metadata: String) {
        #expect(OwnershipMarker(metadata: metadata) == nil)
    }
}
