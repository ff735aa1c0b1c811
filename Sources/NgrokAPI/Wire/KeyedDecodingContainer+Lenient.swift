extension KeyedDecodingContainer {
    /// The value for `key`, or nil when absent, `null` or not decodable as `T` (unknown enum values).
    func tolerant<T: Decodable>(_ key: Key, as type: T.Type = T.self) -> T? {
        (try? decodeIfPresent(T.self, forKey: key)) ?? nil
    }
}
