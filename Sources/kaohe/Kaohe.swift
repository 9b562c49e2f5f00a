import ArgumentParser
import KaoheServer
@main struct Kaohe: AsyncParsableCommand { func run() async throws {} }
