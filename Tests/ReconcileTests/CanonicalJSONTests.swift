import NgrokModel
import Testing

@testable import Reconcile

/// The byte writer behind the live fingerprint produces exactly `serialized()`'s text, so a
/// fingerprint does not depend on which of the two wrote it.
@Suite struct CanonicalJSONTests {
    static let samples: [WireValue] = [
        .null, .bool(true), .bool(false), .int(0), .int(-42), .double(1.5), .double(3), .double(1e20),
        .string(""), .string("plain"), .string("quote \" backslash \\ slash /"),
        .string("controls \u{0}\u{1}\u{8}\u{9}\u{A}\u{C}\u{D}\u{1B}\u{1F} del \u{7F}"),
        .string("unicode é ✓ 🚀 \u{202E}"),
        .list([]), .list([.int(1), .string("a"), .null]), .set([.string("b"), .string("a")]),
        .object([:]),
        .object(["z": .int(1), "a": .object(["uri": .string("x"), "k": .list([.object(["uri": .null, "b": .bool(true)])])])]),
        .ref(.pending(ResourceAddress(.ipPolicy, "office"))), .secret(.unknown),
    ]

    @Test(arguments: samples) func bytesMatchTheSerializedText(_ value: WireValue) {
        var bytes: [UInt8] = []
        CanonicalJSON.append(value, to: &bytes)
        #expect(String(decoding: bytes, as: UTF8.self) == value.serialized())
    }

    /// One key order reused across objects with the same, other, fewer and more keys.
    @Test func keyOrderIsReusedOnlyForTheSameKeys() {
        let objects: [WireValue] = [
            .object(["b": .int(1), "a": .int(2), "c": .int(3)]),
            .object(["c": .int(1), "a": .int(2), "b": .int(3)]),
            .object(["x": .int(1), "a": .int(2), "b": .int(3)]),
            .object(["a": .int(1), "b": .int(2)]),
            .object(["d": .int(1), "b": .int(2), "a": .int(3), "c": .int(4)]),
            .object([:]),
        ]
        var order = CanonicalJSON.KeyOrder()
        for object in objects {
            var bytes: [UInt8] = []
            CanonicalJSON.append(object, to: &bytes, skippingKey: nil, order: &order)
            #expect(String(decoding: bytes, as: UTF8.self) == object.serialized())
        }
    }

    /// The remembered keys include the skipped one: an object with as many keys but another in its
    /// place is written with its own keys.
    @Test func keyOrderWithASkippedKeyIsReusedOnlyForTheSameKeys() {
        let objects: [WireValue] = [
            .object(["uri": .string("u"), "a": .int(1)]),
            .object(["b": .int(2), "a": .int(1)]),
            .object(["a": .int(3), "uri": .string("v")]),
        ]
        var order = CanonicalJSON.KeyOrder()
        let expected = [#"{"a":1}"#, #"{"a":1,"b":2}"#, #"{"a":3}"#]
        for (object, text) in zip(objects, expected) {
            var bytes: [UInt8] = []
            CanonicalJSON.append(object, to: &bytes, skippingKey: "uri", order: &order)
            #expect(String(decoding: bytes, as: UTF8.self) == text)
        }
    }

    @Test func skippedKeysAreLeftOutAtEveryDepth() {
        let value = WireValue.object([
            "uri": .string("https://api/x"), "id": .string("ip_1"),
            "ip_policy": .object(["id": .string("ipp_1"), "uri": .string("https://api/ipp_1")]),
            "list": .list([.object(["uri": .string("u"), "n": .int(1)])]),
        ])
        var bytes: [UInt8] = []
        CanonicalJSON.append(value, to: &bytes, skippingKey: "uri")
        #expect(String(decoding: bytes, as: UTF8.self) == #"{"id":"ip_1","ip_policy":{"id":"ipp_1"},"list":[{"n":1}]}"#)
    }
}
