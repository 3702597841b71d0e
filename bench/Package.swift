// swift-tools-version:6.0
import PackageDescription

/// The benchmark harness lives in its own package so `swift test` of the root never builds it.
/// `bench/run` builds it in release next to the root package and drives it.
let package = Package(
    name: "clinic-bench",
    platforms: [.macOS(.v13)],
    dependencies: [
        .package(name: "clinic", path: ".."),
    ],
    targets: [
        .executableTarget(
            name: "clinic-bench",
            dependencies: [
                .product(name: "Models", package: "clinic"),
                .product(name: "Storage", package: "clinic"),
                .product(name: "Sync", package: "clinic"),
            ]
        ),
    ]
)
