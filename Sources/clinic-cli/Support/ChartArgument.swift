import ArgumentParser

/// A patient's chart as every command takes it: positional (`patient show MTL-000042`) or `--patient`
/// (`appointments --patient MTL-000042`), so neither spelling is wrong anywhere.
struct ChartArgument: ParsableArguments {
    @OptionGroup var given: OptionalChartArgument

    func validate() throws {
        guard given.value != nil else { throw ValidationError("give a chart number, e.g. MTL-000042 (positional or --patient)") }
    }

    /// The chart given, either way.
    var value: String { given.value ?? "" }
}

/// A chart a command may be given or not (`notes`, `export fhir`, `audit`): positional or `--patient`.
struct OptionalChartArgument: ParsableArguments {
    @Argument(help: ArgumentHelp("Chart number, e.g. MTL-000042 (or --patient).", valueName: "chart"))
    var positional: String?

    @Option(name: .customLong("patient"), help: ArgumentHelp("Chart number (the same as the positional chart).", valueName: "chart"))
    var option: String?

    func validate() throws {
        if let positional, let option, positional != option {
            throw ValidationError("give the chart once: positional or --patient, not two different ones")
        }
    }

    /// The chart given either way, if any.
    var value: String? { positional ?? option }
}
