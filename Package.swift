// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "Kaohe",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "kaohe", targets: ["kaohe"]),
        .library(name: "KaoheCore", targets: ["KaoheCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/vapor/vapor.git", from: "4.122.0"),
        .package(url: "https://github.com/vapor/fluent.git", from: "4.13.0"),
        .package(url: "https://github.com/vapor/fluent-sqlite-driver.git", from: "4.9.0"),
        .package(url: "https://github.com/vapor/fluent-postgres-driver.git", from: "2.14.0"),
        .package(url: "https://github.com/vapor/leaf.git", from: "4.5.0"),
        .package(url: "https://github.com/vapor/leaf-kit.git", from: "1.14.0"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.0"),
        .package(url: "https://github.com/x-sheep/swift-property-based.git", from: "2.0.0"),
        .package(url: "https://github.com/weichsel/ZIPFoundation.git", from: "0.9.20"),
        .package(url: "https://github.com/yaslab/CSV.swift.git", from: "2.5.2"),
    ],
    targets: [
        // The domain: rubric, scoring, grading, penalty, yearly selection. Pure: no I/O, no Vapor.
        .target(
            name: "KaoheCore",
            dependencies: [.product(name: "Yams", package: "Yams")]
        ),
        // The web application: Fluent models, controllers, views, auth, audit.
        .target(
            name: "KaoheServer",
            dependencies: [
                "KaoheCore",
                .product(name: "Vapor", package: "vapor"),
                .product(name: "Fluent", package: "fluent"),
                .product(name: "FluentSQLiteDriver", package: "fluent-sqlite-driver"),
                .product(name: "FluentPostgresDriver", package: "fluent-postgres-driver"),
                .product(name: "Leaf", package: "leaf"),
                .product(name: "LeafKit", package: "leaf-kit"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
                .product(name: "CSV", package: "CSV.swift"),
            ],
            resources: [.copy("Resources")]
        ),
        // The one executable: serve, migrate, score, annual, rubric, user.
        .executableTarget(
            name: "kaohe",
            dependencies: [
                "KaoheCore",
                "KaoheServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // The measurements scripts/bench takes from inside a process (scoring against decoding, the INSERT floor).
        .executableTarget(
            name: "kaohe-bench",
            dependencies: [
                "KaoheCore",
                "KaoheServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Fluent", package: "fluent"),
            ],
            path: "Benchmarks/KaoheBench"
        ),
        .testTarget(
            name: "KaoheCoreTests",
            dependencies: [
                "KaoheCore",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "KaoheServerTests",
            dependencies: [
                "KaoheServer",
                .product(name: "VaporTesting", package: "vapor"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ]
        ),
    ]
)
