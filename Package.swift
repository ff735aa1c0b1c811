// swift-tools-version: 6.2
import PackageDescription

let upcoming: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "ngrokctl",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "ngrokctl", targets: ["ngrokctl"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", exact: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics", exact: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", exact: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", exact: "2.13.0"),
        .package(url: "https://github.com/apple/swift-crypto", exact: "3.12.3"),
        .package(url: "https://github.com/apple/swift-certificates", exact: "1.21.1"),
        .package(url: "https://github.com/apple/swift-asn1", exact: "1.7.4"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", exact: "2.28.1"),
        .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
    ],
    targets: [
        // C interop, isolated.
        .systemLibrary(name: "CYAML", pkgConfig: "yaml-0.1", providers: [.apt(["libyaml-dev"])]),
        .systemLibrary(name: "CGit2", pkgConfig: "libgit2", providers: [.apt(["libgit2-dev"])]),
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        .target(name: "CCurlShim", dependencies: ["CCurl"]),

        // Pure layers.
        .target(name: "NgrokModel", swiftSettings: upcoming),
        .target(
            name: "Manifests",
            dependencies: ["CYAML", "NgrokModel"],
            swiftSettings: upcoming),
        .target(
            name: "Validation",
            dependencies: [
                "NgrokModel",
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
            ],
            swiftSettings: upcoming),

        // I/O layers.
        .target(
            name: "NgrokAPI",
            dependencies: [
                "CCurlShim", "NgrokModel",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: upcoming),
        .target(
            name: "Reconcile",
            dependencies: [
                "NgrokModel", "Manifests", "Validation", "NgrokAPI",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: upcoming),
        .target(
            name: "GitSource",
            dependencies: ["CGit2"],
            swiftSettings: upcoming),
        .target(
            name: "Controller",
            dependencies: [
                "Reconcile", "GitSource", "NgrokAPI", "NgrokModel",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: upcoming),
        .target(
            name: "Emulator",
            dependencies: [
                "NgrokModel", "Validation",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: upcoming),

        // The thin CLI.
        .executableTarget(
            name: "ngrokctl",
            dependencies: [
                "NgrokModel", "Manifests", "Validation", "NgrokAPI", "Reconcile", "GitSource",
                "Controller", "Emulator",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            swiftSettings: upcoming),

        // `make bench`.
        .executableTarget(
            name: "ngrokctl-bench",
            dependencies: ["Controller", "Emulator", "GitSource", "Manifests", "NgrokAPI", "NgrokModel", "Reconcile",
                .product(name: "Logging", package: "swift-log")],
            swiftSettings: upcoming),

        // Tests.
        .testTarget(name: "NgrokModelTests", dependencies: ["NgrokModel"], swiftSettings: upcoming),
        .testTarget(
            name: "ManifestsTests", dependencies: ["Manifests", "NgrokModel", "Validation"],
            resources: [.copy("Corpus")], swiftSettings: upcoming),
        .testTarget(
            name: "ValidationTests", dependencies: ["Validation", "NgrokModel", "Manifests", "TestSupport"],
            swiftSettings: upcoming),
        .testTarget(
            name: "NgrokAPITests", dependencies: ["NgrokAPI", "NgrokModel", "Reconcile", "Emulator", "TestSupport"],
            swiftSettings: upcoming),
        .testTarget(
            name: "EmulatorTests", dependencies: ["Emulator", "NgrokAPI", "NgrokModel", "TestSupport"], exclude: ["python"], swiftSettings: upcoming),
        .testTarget(
            name: "ReconcileTests",
            dependencies: [
                "Reconcile", "Emulator", "Manifests", "NgrokAPI", "NgrokModel", "TestSupport",
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: upcoming),
        .target(
            name: "TestSupport",
            dependencies: [
                "Emulator", "NgrokAPI",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
            ],
            path: "Tests/TestSupport", swiftSettings: upcoming),
        .testTarget(name: "GitSourceTests", dependencies: ["GitSource", "TestSupport"], swiftSettings: upcoming),
        .testTarget(
            name: "ControllerTests", dependencies: ["Controller", "Emulator", "GitSource", "TestSupport"],
            swiftSettings: upcoming),
        .testTarget(
            name: "EndToEndTests",
            dependencies: [
                "ngrokctl", "Emulator", "NgrokAPI", "Reconcile", "NgrokModel", "Controller", "GitSource", "TestSupport",
            ],
            swiftSettings: upcoming),
    ]
)
