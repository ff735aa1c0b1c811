import Crypto
import Foundation
import SwiftASN1
import X509

/// Certificates and keys for the tests, made at run time (never committed): a fixed set made once
/// with the openssl CLI (`shared`: a chain and keys in every encoding the validation reads),
/// certificates issued on the fly with swift-certificates (`makeCA`, `makeLeaf`), and a stack
/// directory's certificate files (`writeFiles(in:)`).
public struct TestPKI: Sendable {
    public var rootPem = ""
    public var intermediatePem = ""
    public var leafPem = ""
    /// PKCS#8 (`PRIVATE KEY`).
    public var leafKey = ""
    /// SEC 1 (`EC PRIVATE KEY`).
    public var leafKeySEC1 = ""
    /// PKCS#8 encrypted (`ENCRYPTED PRIVATE KEY`).
    public var leafKeyEncrypted = ""
    /// Legacy OpenSSL encryption (`Proc-Type: 4,ENCRYPTED`).
    public var leafKeyLegacyEncrypted = ""
    public var rsaPem = ""
    /// PKCS#1 (`RSA PRIVATE KEY`).
    public var rsaKeyPKCS1 = ""
    public var ed25519Pem = ""
    public var ed25519Key = ""
    /// An unrelated P-256 key (PKCS#8).
    public var otherKey = ""
    /// A 1024-bit RSA key (PKCS#1) and its self-signed certificate: too short.
    public var rsa1024Key = ""
    public var rsa1024Pem = ""
    /// A leaf for client authentication only (extendedKeyUsage clientAuth), signed by the intermediate.
    public var clientLeafPem = ""

    /// leaf, intermediate.
    public var bundle: String { leafPem + intermediatePem }

    public static let shared: TestPKI = {
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

    // MARK: Issued on the fly

    /// A certificate issued on the fly, with its key.
    public struct Issued {
        public var certificatePEM: String
        public var keyPEM: String
        public var certificate: Certificate
        public var key: P256.Signing.PrivateKey
    }

    public static func name(_ cn: String, org: String? = nil) throws -> DistinguishedName {
        try DistinguishedName {
            if let org { OrganizationName(org) }
            CommonName(cn)
        }
    }

    /// A self-signed CA.
    public static func makeCA(_ cn: String = "Test Root CA") throws -> Issued {
        let key = P256.Signing.PrivateKey()
        let subject = try name(cn, org: "ngrokctl tests")
        let now = Date()
        let certificate = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: .init(key.publicKey),
            notValidBefore: now.addingTimeInterval(-3600), notValidAfter: now.addingTimeInterval(86_400 * 365),
            issuer: subject, subject: subject, signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: nil))
                KeyUsage(keyCertSign: true, cRLSign: true)
            },
            issuerPrivateKey: .init(key))
        return Issued(
            certificatePEM: try certificate.serializeAsPEM().pemString, keyPEM: key.pemRepresentation,
            certificate: certificate, key: key)
    }

    /// A leaf for `dnsNames`, signed by `ca`.
    public static func makeLeaf(_ dnsNames: [String], signedBy ca: Issued) throws -> Issued {
        let key = P256.Signing.PrivateKey()
        let now = Date()
        let certificate = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: .init(key.publicKey),
            notValidBefore: now.addingTimeInterval(-3600), notValidAfter: now.addingTimeInterval(86_400 * 90),
            issuer: ca.certificate.subject, subject: try name(dnsNames[0], org: "Example Org"),
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                KeyUsage(digitalSignature: true, keyEncipherment: true)
                try ExtendedKeyUsage([.serverAuth])
                SubjectAlternativeNames(dnsNames.map { GeneralName.dnsName($0) })
            },
            issuerPrivateKey: .init(ca.key))
        return Issued(
            certificatePEM: try certificate.serializeAsPEM().pemString, keyPEM: key.pemRepresentation,
            certificate: certificate, key: key)
    }

    // MARK: A stack directory's certificate files

    /// Certificate files written into a directory, for manifests that name them (`{file: leaf.pem}`).
    public struct Files: Sendable {
        public let directory: URL
        public func text(_ name: String) throws -> String {
            try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
        }
    }

    /// Writes `ca.pem` (a CA), `ca2.pem` (another CA), `leaf.pem` + `leaf.key` (for `app.example.com`,
    /// signed by `issuer.pem`), `bundle.pem` (leaf + issuer), and `other.key` (a key that does not match).
    @discardableResult
    public static func writeFiles(in directory: URL) throws -> Files {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let issuer = try makeCA("Test Issuer")
        let leaf = try makeLeaf(["app.example.com"], signedBy: issuer)
        let files = [
            "ca.pem": try makeCA("Test CA").certificatePEM,
            "ca2.pem": try makeCA("Test CA 2").certificatePEM,
            "issuer.pem": issuer.certificatePEM,
            "leaf.pem": leaf.certificatePEM,
            "leaf.key": leaf.keyPEM,
            "bundle.pem": leaf.certificatePEM + "\n" + issuer.certificatePEM,
            "other.key": P256.Signing.PrivateKey().pemRepresentation,
        ]
        for (name, text) in files {
            try Data((text.hasSuffix("\n") ? text : text + "\n").utf8).write(to: directory.appendingPathComponent(name))
        }
        return Files(directory: directory)
    }
}
