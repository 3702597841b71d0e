import ArgumentParser
import Models
import Storage

extension NoteCommand {
    struct Needle: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "needle", 
            abstract: "Record one needle site: a WHO acupoint (--point) or a muscle's trigger point (--muscle); or remove one from a draft (--remove).")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Note id or its last 8+ hex digits.") var note: String
        @Option(help: "WHO acupoint code, e.g. LI4, ST36, UB40, EX-HN3, or a NADA ear point NADA1–NADA5 (needs the acupuncture scope).")
        var point: String?
        @Option(help: "Muscle, e.g. \"upper trapezius\" (needs the dry-needling scope).") var muscle: String?
        @Option(help: "Side: left, right, bilateral or midline.") var side: NeedleSide?
        @Option(help: "Needle gauge as diameter in mm, e.g. 0.25.") var gauge: Double?
        @Option(help: "Needle length in mm, e.g. 30.") var length: String?
        @Option(help: "Insertion depth, e.g. 15mm.") var depth: String?
        @Option(help: "Technique: static, pistoning, fanning, rotation, twirling, lifting-thrusting, sparrow-pecking, superficial.")
        var technique: NeedlingTechnique?
        @Option(help: "Retention time, e.g. 20m.") var retention: String?
        @Option(help: "Electro-stimulation \"FREQUENCY,DURATION\", e.g. \"2Hz,15m\" (needs the electro-stim scope).") var estim: String?
        @Option(help: "Needles at this site (for bilateral, both sides together).") var count = 1
        @Option(help: ArgumentHelp("Remove a mis-entered site from a draft: its position as 'note show' lists it (1, 2, …) or its id.",
                                   valueName: "entry"))
        var remove: String?

        func validate() throws {
            if [point, muscle, remove].compactMap({ $0 }).count != 1 {
                throw ValidationError("give exactly one of --point, --muscle or --remove")
            }
            if remove != nil, side != nil || gauge != nil || length != nil || depth != nil || technique != nil || retention != nil || estim != nil {
                throw ValidationError("--remove takes no other site option")
            }
        }

        func run() throws {
            if let remove {
                try NoteOutput.run(global) { notes in try notes.removeNeedle(note, entry: remove) } human: { view in
                    "Removed needle site \(remove); \(view.needles_inserted) in, \(view.needles_removed) out"
                }
                return
            }
            let acupoint = try point.map(AcupointCatalog.point)
            let chosenSide = try NeedleSide.resolved(side, point: acupoint)
            let entry = NeedlingEntry(
                point: acupoint, muscle: try muscle.map(MuscleCatalog.muscle),
                side: chosenSide,
                gaugeMillimetres: gauge, lengthMillimetres: try length.map { try NeedlingEntry.millimetres($0, field: .needleLength) },
                depthMillimetres: try depth.map { try NeedlingEntry.millimetres($0, field: .needleDepth) }, technique: technique,
                retentionMinutes: try retention.map(NeedlingEntry.retentionMinutes),
                electroStim: try estim.map(ElectroStim.parse), count: count)
            try NoteOutput.run(global) { notes in try notes.needle(note, entry) } human: { view in
                "Recorded \(entry.siteName) (\(entry.side.rawValue), \(entry.count) needle\(entry.count == 1 ? "" : "s")); \(view.needles_inserted) in, \(view.needles_removed) out"
            }
        }
    }
}
