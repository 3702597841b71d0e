import ArgumentParser
import Models
import Storage

/// `clinic note`: the session note of one appointment, from draft to signature.
struct NoteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "note", abstract: "Write, check, sign and amend session notes (SOAP, needling, adverse events).",
        subcommands: [Start.self, Edit.self, Needle.self, NeedlesRemoved.self, Adverse.self, Sign.self, Amend.self, Show.self])

    struct Start: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "start", abstract: "Start the draft note of one of your appointments.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Appointment id or its last 8+ hex digits.") var appointment: String

        func run() throws {
            try NoteOutput.run(global) { notes in try notes.start(appointment: appointment) } human: { view, _ in
                "Started draft note \(view.id) for \(view.patient) (\(view.session_date))"
            }
        }
    }

    struct Edit: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "edit", abstract: "Write SOAP sections, pain (NPRS) and outcome measures of a draft.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Note id or its last 8+ hex digits.") var note: String
        @Option(help: "Subjective: what the patient reports.") var subjective: String?
        @Option(help: "Objective: findings on examination.") var objective: String?
        @Option(help: "Assessment: the clinician's reasoning.") var assessment: String?
        @Option(help: "Plan: treatment and home exercise.") var plan: String?
        @Option(help: "Pain before treatment, NPRS 0–10.") var painBefore: Int?
        @Option(help: "Pain after treatment, NPRS 0–10.") var painAfter: Int?
        @Option(help: "Patient-Specific Functional Scale, 0–10.") var psfs: Double?
        @Option(help: "Neck Disability Index, 0–50.") var ndi: Int?
        @Option(help: "Oswestry Disability Index, 0–100 (%).") var odi: Int?

        func run() throws {
            var edit = Notes.Edit()
            for (section, value) in [(SOAPSection.subjective, subjective), (.objective, objective), (.assessment, assessment), (.plan, plan)] {
                if let value { edit.sections[section] = value }
            }
            for (measure, value, option) in [(OutcomeMeasure.nprs, painBefore.map(Double.init), ClinicField.painBefore),
                                             (.nprs, painAfter.map(Double.init), .painAfter), (.psfs, psfs, .psfs),
                                             (.ndi, ndi.map(Double.init), .ndi), (.odi, odi.map(Double.init), .odi)] {
                if let value { try measure.validate(value, field: option) }
            }
            edit.painBefore = painBefore
            edit.painAfter = painAfter
            edit.psfs = psfs
            edit.ndi = ndi
            edit.odi = odi
            guard !edit.isEmpty else { throw ValidationError("nothing to change: give at least one section or measure") }
            try NoteOutput.run(global) { notes in try notes.edit(note, edit) } human: { view, _ in "Updated note \(IDSuffix.short(view.id))" }
        }
    }

    struct Needle: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "needle", 
            abstract: "Record one needle site: a WHO acupoint (--point) or a muscle's trigger point (--muscle).")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Note id or its last 8+ hex digits.") var note: String
        @Option(help: "WHO acupoint code, e.g. LI4, ST36, UB40 (needs the acupuncture scope).") var point: String?
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

        func validate() throws {
            if (point == nil) == (muscle == nil) { throw ValidationError("give exactly one of --point or --muscle") }
        }

        func run() throws {
            let acupoint = try point.map(AcupointCatalog.point)
            let midline = acupoint.map { $0.meridian == .GV || $0.meridian == .CV } ?? false
            guard let chosenSide = side ?? (midline ? .midline : nil) else {
                throw ClinicError(.sideRequired, "--side is required: left, right, bilateral or midline")
            }
            let entry = NeedlingEntry(
                point: acupoint, muscle: try muscle.map(MuscleCatalog.muscle),
                side: chosenSide,
                gaugeMillimetres: gauge, lengthMillimetres: try length.map { try NeedlingEntry.millimetres($0, field: .needleLength) },
                depthMillimetres: try depth.map { try NeedlingEntry.millimetres($0, field: .needleDepth) }, technique: technique,
                retentionMinutes: try retention.map { $0 == "0m" ? 0 : try DurationText.minutes($0) },
                electroStim: try estim.map(ElectroStim.parse), count: count)
            try NoteOutput.run(global) { notes in try notes.needle(note, entry) } human: { view, _ in
                "Recorded \(entry.siteName) (\(entry.side.rawValue), \(entry.count) needle\(entry.count == 1 ? "" : "s")); \(view.needles_inserted) in, \(view.needles_removed) out"
            }
        }
    }

    struct NeedlesRemoved: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "needles-removed", abstract: "Set the total of needles removed (not an increment).")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Note id or its last 8+ hex digits.") var note: String
        @Option(help: "Needles removed in total.") var count: Int

        func run() throws {
            try NoteOutput.run(global) { notes in try notes.needlesRemoved(note, count: count) } human: { view, _ in
                "Needles: \(view.needles_inserted) in, \(view.needles_removed) out" + (view.needles_inserted == view.needles_removed ? " — all accounted for" : " — MISMATCH")
            }
        }
    }

    struct Adverse: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "adverse", abstract: "Record an adverse event of the session.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Note id or its last 8+ hex digits.") var note: String
        @Option(help: "Kind: bleeding, bruising, pain, syncope, forgotten-needle, infection, pneumothorax, other.") var kind: AdverseEventKind
        @Option(help: "What happened and what was done.") var detail: String

        func run() throws {
            try NoteOutput.run(global) { notes in try notes.adverse(note, kind: kind, detail: detail) } human: { _, _ in
                "Recorded adverse event: \(kind.rawValue)"
            }
        }
    }

    struct Sign: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "sign", 
            abstract: "Sign and lock a note with your own key: checks consent, needle counts, scope and contraindications.",
            discussion: "Signing asks for your passphrase again, even inside a session (a prompt on a terminal; $CLINIC_PASSPHRASE in scripts).")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Note id or its last 8+ hex digits.") var note: String
        @Option(name: .customLong("acknowledge"), help: "A contraindication rule you have considered, as the refusal lists it (e.g. pregnancy:LI4); repeatable.")
        var acknowledged: [String] = []

        func run() throws {
            let handle = global.actorHandle
            try NoteOutput.run(global) { notes in
                try notes.sign(note, acknowledge: Set(acknowledged), passphrase: { try PassphraseInput.existing(for: handle) })
            } human: { view, _ in
                "Signed note \(IDSuffix.short(view.id)); SHA-256 \(view.hash ?? "")"
            }
        }
    }

    struct Amend: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "amend", abstract: "Add a dated amendment to a signed note, signed with your own key (asks for your passphrase again).")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Note id or its last 8+ hex digits.") var note: String
        @Option(help: "The amendment's text.") var text: String

        func run() throws {
            let handle = global.actorHandle
            try NoteOutput.run(global) { notes in
                try notes.amend(note, with: text, passphrase: { try PassphraseInput.existing(for: handle) })
            } human: { view, _ in
                "Amended note \(IDSuffix.short(view.id)) (\(view.amendments.count) amendment\(view.amendments.count == 1 ? "" : "s"))"
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "Show a note: who signed it, when, with which key, and whether the signature verifies.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Note id or its last 8+ hex digits.") var note: String

        func run() throws {
            try NoteOutput.run(global) { notes in try notes.show(note) } human: { view, zone in view.text(zone: zone) }
        }
    }
}

/// The shared body of note commands: open, act as `--as`, print the note.
enum NoteOutput {
    static func run(_ global: GlobalOptions, _ body: (Notes) throws -> NoteRecord, human: (NoteView, SiteTimeZone) -> String) throws {
        let session = try global.open()
        let note = try body(Notes(session.acting))
        let view = try NoteView(note, db: session.db)
        let zone = try session.zone()
        try session.emit(view) { human(view, zone) }
    }
}

extension NeedleSide: ExpressibleByArgument {}
extension NeedlingTechnique: ExpressibleByArgument {}
extension AdverseEventKind: ExpressibleByArgument {}
