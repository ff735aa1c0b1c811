import Testing
@testable import Emulator

@Suite struct SmokeTests {
    @Test func createAndGetCredential() async throws {
        try await withEmulator { client, _ in
            let created = try await client.post("/credentials", ["description": "dev", "acl": ["bind:x.ngrok.io"]])
            #expect(created.status == 201)
            print("SMOKE", created.curlExit, created.status, created.text, client.baseURL)
            let id = try #require(created["id"]?.stringValue)
            let fetched = try await client.get("/credentials/\(id)")
            #expect(fetched.status == 200)
            print(fetched.text, fetched.headers)
        }
    }
}
