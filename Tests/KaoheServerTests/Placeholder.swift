import Testing
import VaporTesting
@Test func placeholderServer() { #expect(Bool(true)) }
