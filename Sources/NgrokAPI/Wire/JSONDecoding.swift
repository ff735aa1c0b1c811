import Foundation

/// The JSON decoding used for the API's error envelope: tolerant of unknown fields.
public struct JSONDecoding: Sendable {
    public init() {}

    public func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8]) throws -> T {
        try JSONDecoder().decode(T.self, from: Data(bytes))
    }
}
