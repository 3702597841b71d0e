// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "clinic",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "clinic", targets: ["clinic-cli"]),
        .library(name: "Models", targets: ["Models"]),
        .library(name: "Storage", targets: ["Storage"]),
        .library(name: "Sync", targets: ["Sync"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.0"),
        .package(url: "https://github.com/x-sheep/swift-property-based", exact: "2.0.1"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
    ],
    targets: [
        .systemLibrary(
            name: "CSQLite",
            pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"])]
        ),
        .target(name: "Models", dependencies: [.product(name: "Crypto", package: "swift-crypto"), .product(name: "_CryptoExtras", package: "swift-crypto")]),
        .target(name: "Storage", dependencies: ["Models", "CSQLite", .product(name: "PostgresNIO", package: "postgres-nio"),
                                               .product(name: "Crypto", package: "swift-crypto")]),
        .target(name: "Sync", dependencies: ["Models", "Storage", .product(name: "Crypto", package: "swift-crypto")]),
        .executableTarget(
            name: "clinic-cli",
            dependencies: [
                "Models", "Storage", "Sync",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Helpers the test targets share (a seeded random generator); not part of any product.
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "ModelsTests", dependencies: ["Models", "TestSupport", .product(name: "PropertyBased", package: "swift-property-based")]),
        // The PostgreSQL test cluster and scratch databases, for the storage and CLI tests.
        .target(name: "PostgresTestSupport", dependencies: ["Storage", "Models"], path: "Tests/PostgresTestSupport"),
        .testTarget(name: "StorageTests", dependencies: ["Storage", "Models", "PostgresTestSupport"]),
        .testTarget(name: "SyncTests", dependencies: ["Sync", "Storage", "Models", "TestSupport", "PostgresTestSupport"]),
        .testTarget(name: "CLITests", dependencies: ["clinic-cli", "Models", "Storage", "PostgresTestSupport"], exclude: ["python", "Golden"]),
    ]
)
