import Foundation

/// Certificates and keys made at test time with the openssl CLI (never committed).
struct TestCertificates {
    let directory: URL

    /// Writes `ca.pem` (a CA), `ca2.pem` (another CA), `leaf.pem` + `leaf.key` (signed by `issuer.pem`),
    /// `bundle.pem` (leaf + issuer), and `other.key` (a key that does not match).
    static func make(in directory: URL) throws -> TestCertificates {
        let d = directory.path
        func run(_ args: String) throws {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/bin/sh")
            p.arguments = ["-c", "cd '\(d)' && " + args + " 2>/dev/null"]
            try p.run()
            p.waitUntilExit()
            guard p.terminationStatus == 0 else { throw CocoaError(.fileWriteUnknown) }
        }
        let ec = "-newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes"
        try run("openssl req -x509 \(ec) -days 365 -subj '/CN=Test CA' -addext basicConstraints=critical,CA:TRUE -keyout ca.key -out ca.pem")
        try run("openssl req -x509 \(ec) -days 365 -subj '/CN=Test CA 2' -addext basicConstraints=critical,CA:TRUE -keyout ca2.key -out ca2.pem")
        try run("openssl req -x509 \(ec) -days 365 -subj '/CN=Test Issuer' -addext basicConstraints=critical,CA:TRUE -keyout issuer.key -out issuer.pem")
        try run("openssl req \(ec) -subj '/CN=app.example.com' -keyout leaf.key -out leaf.csr")
        try run("printf 'subjectAltName=DNS:app.example.com\\n' > leaf.ext && openssl x509 -req -in leaf.csr -CA issuer.pem -CAkey issuer.key -CAcreateserial -days 90 -extfile leaf.ext -out leaf.pem")
        try run("cat leaf.pem issuer.pem > bundle.pem")
        try run("openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out other.key")
        return TestCertificates(directory: directory)
    }

    func text(_ name: String) throws -> String { try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8) }
}
