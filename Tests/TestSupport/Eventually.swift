/// Waits until `condition` holds, checking every `interval`; throws when `timeout` passes first.
/// For state another task updates a little after the event a test can see (a controller folds a
/// sync's report into its status after the engine returned).
public func eventually(
    _ what: String, timeout: Duration = .seconds(10), interval: Duration = .milliseconds(20),
    _ condition: () async throws -> Bool
) async throws {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return }
        try await Task.sleep(for: interval)
    }
    throw FixtureError(message: "timed out after \(timeout) waiting for \(what)")
}
