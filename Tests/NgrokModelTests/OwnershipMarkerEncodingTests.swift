import Foundation
import Testing

@testable import NgrokModel

@Suite struct OwnershipMarkerEncodingTests {
    @Test(arguments: [
        OwnershipMarker(stack: "prod", address: ResourceAddress(.ipPolicy, "office")),
        OwnershipMarker(
            stack: "p\"r\\o/d", address: ResourceAddress(.credential, "a"), fingerprint: "00ff", userMetadata: "team=web\n\u{1}é",
            retain: true, protect: true),
    ])
    func encodesCompactSortedJSONAndParsesBack(_ marker: OwnershipMarker) throws {
        let encoded = marker.encoded
        #expect(OwnershipMarker(metadata: encoded) == marker)
        // The same text JSONSerialization writes with sorted keys.
        let object = try JSONSerialization.jsonObject(with: Data(encoded.utf8))
        let reference = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
        #expect(try JSONSerialization.jsonObject(with: reference) as? NSDictionary == object as? NSDictionary)
        #expect(!encoded.contains(" "), "compact")
        #expect(encoded.hasPrefix("{\"ngrokctl\":{"))
    }
}
