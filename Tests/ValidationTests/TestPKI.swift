import Foundation

/// Certificates and keys generated at run time with the openssl CLI (never committed).
struct TestPKI: Sendable {
    var rootPem = ""
    var intermediatePem = ""
    var leafPem = ""
    /// PKCS#8 (`PRIVATE KEY`).
    var leafKey = ""
    /// SEC 1 (`EC PRIVATE KEY`).
    var leafKeySEC1 = ""
    /// PKCS#8 encrypted (`ENCRYPTED PRIVATE KEY`).
    var leafKeyEncrypted = ""
    /// Legacy OpenSSL encryption (`Proc-Type: 4,ENCRYPTED`).
    var leafKeyLegacyEncrypted = ""
    var rsaPem = ""
    /// PKCS#1 (`RSA PRIVATE KEY`).
    var rsaKeyPKCS1 = ""
    var ed25519Pem = ""
    var ed25519Key = ""
    /// An unrelated P-256 key (PKCS#8).
    var otherKey = ""
    /// A 1024-bit RSA key (PKCS#1) and its self-signed certificate: too short.
    var rsa1024Key = ""
    var rsa1024Pem = ""
    /// A leaf for client authentication only (extendedKeyUsage clientAuth), signed by the intermediate.
    var clientLeafPem = ""

    /// leaf, intermediate.
    var bundle: String { leafPem + intermediatePem }

    static let shared: TestPKI = {
        do { return try make() } catch { fatalError("cannot generate test certificates: \(error)") }
    }()

    static func make() throws -> TestPKI {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ngrokctl-pki-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let script = """
            set -e
            openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 3650 \
              -subj "/CN=Test Root CA/O=Test Org" -addext "basicConstraints=critical,CA:TRUE" \
              -addext "keyUsage=critical,keyCertSign,cRLSign" -keyout root.key -out root.pem
            openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=Test Intermediate CA" \
              -keyout inter.key -out inter.csr
            printf 'basicConstraints=critical,CA:TRUE\\nkeyUsage=critical,keyCertSign,cRLSign\\n' > ca.ext
            openssl x509 -req -in inter.csr -CA root.pem -CAkey root.key -CAcreateserial -days 3650 -extfile ca.ext -out inter.pem
            openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
              -subj "/C=US/ST=California/L=San Francisco/O=Example Inc/OU=Edge/CN=app.example.com" \
              -keyout leaf.key -out leaf.csr
            printf 'subjectAltName=DNS:app.example.com,DNS:www.example.com,IP:192.0.2.7,IP:2001:db8::1\\nbasicConstraints=CA:FALSE\\nkeyUsage=critical,digitalSignature,keyEncipherment\\nextendedKeyUsage=serverAuth,clientAuth\\n' > leaf.ext
            openssl x509 -req -in leaf.csr -CA inter.pem -CAkey inter.key -CAcreateserial -days 825 -extfile leaf.ext -out leaf.pem
            openssl ec -in leaf.key -out leaf-sec1.key
            openssl pkey -in leaf.key -aes256 -passout pass:hunter2 -out leaf-enc.key
            openssl ec -in leaf.key -aes256 -passout pass:hunter2 -out leaf-legacy.key
            openssl genrsa -traditional -out rsa.key 2048
            openssl req -x509 -key rsa.key -days 365 -subj "/CN=rsa.example.com" -out rsa.pem
            openssl genpkey -algorithm ed25519 -out ed.key
            openssl req -x509 -key ed.key -days 365 -subj "/CN=ed.example.com" -out ed.pem
            openssl genpkey -algorithm ec -pkeyopt ec_paramgen_curve:P-256 -out other.key
            openssl genrsa -traditional -out rsa1024.key 1024
            openssl req -x509 -key rsa1024.key -days 365 -subj "/CN=old.example.com" -out rsa1024.pem
            openssl req -new -key other.key -subj "/CN=device-1" -out client.csr
            printf 'extendedKeyUsage=clientAuth\n' > client.ext
            openssl x509 -req -in client.csr -CA inter.pem -CAkey inter.key -CAcreateserial -days 365 -extfile client.ext -out client.pem
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", script]
        process.currentDirectoryURL = dir
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw CocoaError(.executableLoad, userInfo: [NSLocalizedDescriptionKey: "openssl failed"])
        }
        func read(_ name: String) throws -> String {
            try String(contentsOf: dir.appendingPathComponent(name), encoding: .utf8)
        }
        var pki = TestPKI()
        pki.rootPem = try read("root.pem")
        pki.intermediatePem = try read("inter.pem")
        pki.leafPem = try read("leaf.pem")
        pki.leafKey = try read("leaf.key")
        pki.leafKeySEC1 = try read("leaf-sec1.key")
        pki.leafKeyEncrypted = try read("leaf-enc.key")
        pki.leafKeyLegacyEncrypted = try read("leaf-legacy.key")
        pki.rsaPem = try read("rsa.pem")
        pki.rsaKeyPKCS1 = try read("rsa.key")
        pki.ed25519Pem = try read("ed.pem")
        pki.ed25519Key = try read("ed.key")
        pki.otherKey = try read("other.key")
        pki.rsa1024Key = try read("rsa1024.key")
        pki.rsa1024Pem = try read("rsa1024.pem")
        pki.clientLeafPem = try read("client.pem")
        return pki
    }
}
