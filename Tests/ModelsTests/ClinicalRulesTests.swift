import Models
import Testing

/// A site at `code` for rules tests; records an issue if the fixture is not a point.
private func pointSite(_ code: String, _ side: NeedleSide = .left, depth: Double? = nil, estim: Bool = false) -> NeedlingSite {
    do {
        return NeedlingSite(point: try AcupointCatalog.point(code), side: side, depthMillimetres: depth, electroStim: estim)
    } catch {
        Issue.record("test fixture \(code) is not a point")
        return NeedlingSite(side: side)
    }
}

/// A site on the named muscle for rules tests.
private func muscleSite(_ name: String, _ side: NeedleSide = .left, depth: Double? = nil, estim: Bool = false) -> NeedlingSite {
    do {
        return NeedlingSite(muscle: try MuscleCatalog.muscle(name), side: side, depthMillimetres: depth, electroStim: estim)
    } catch {
        Issue.record("test fixture \(name) is not a muscle")
        return NeedlingSite(side: side)
    }
}

/// A precaution fixture the test knows to be valid.
private func precaution(_ text: String) -> Precaution {
    try! Precaution.parse(text) // fixtures are literals in this file
}

private func rules(_ precautions: [String], _ sites: [NeedlingSite]) -> [String] {
    ContraindicationRules.findings(precautions: precautions.map(precaution), sites: sites).map(\.rule)
}

@Suite("Clinical precautions")
struct ClinicalPrecautionTests {
    @Test("parse prints back what it read", arguments: [
        "pregnancy", "pacemaker", "anticoagulants", "needle-phobia", "immunosuppression", "diabetes", "epilepsy",
        "bleeding-disorder", "metal-allergy", "implanted-device", "lymphoedema:left-arm", "lymphoedema:right-arm",
        "lymphoedema:left-leg", "lymphoedema:right-leg",
    ])
    func roundTrip(text: String) throws {
        #expect(try Precaution.parse(text).code == text)
        #expect(try Precaution.parse(text.uppercased()).code == text)
    }

    @Test("the US spelling lymphedema reads as lymphoedema")
    func usSpelling() throws {
        let parsed = try Precaution.parse("lymphedema:left-arm")
        #expect(parsed.kind == .lymphoedema)
        #expect(parsed.limb == .leftArm)
        #expect(parsed.code == "lymphoedema:left-arm")
    }

    @Test("refuses a missing or stray limb and unknown kinds, listing valid values", arguments: [
        "lymphoedema", "lymphoedema:", "lymphoedema:left-foot", "pregnancy:left-arm", "diabetes:right-leg",
        "", "pregnant", "lymphoedema:left-arm:x", "cancer",
    ])
    func refuse(text: String) {
        do {
            _ = try Precaution.parse(text)
            Issue.record("accepted \(text)")
        } catch let error as ClinicError {
            #expect(error.code.name == "invalid-precaution")
            #expect(error.category == .usage)
            #expect(error.message.contains("needle-phobia"))
            #expect(error.message.contains("lymphoedema:LIMB"))
            #expect(error.message.contains("left-arm"))
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test("the initializer keeps the same invariant")
    func initializer() throws {
        #expect(throws: ClinicError.self) { try Precaution(kind: .lymphoedema) }
        #expect(throws: ClinicError.self) { try Precaution(kind: .epilepsy, limb: .leftLeg) }
        #expect(try Precaution(kind: .lymphoedema, limb: .rightLeg).code == "lymphoedema:right-leg")
    }
}

@Suite("Clinical contraindication rules")
struct ClinicalRulesTests {
    @Test("pregnancy flags the forbidden points", arguments: [
        "LI4", "SP6", "BL60", "BL67", "BL31", "BL32", "BL33", "BL34", "GB21", "CV4", "ST25", "KI16", "SP15",
    ])
    func pregnancyFlags(code: String) {
        let findings = ContraindicationRules.findings(precautions: [precaution("pregnancy")], sites: [pointSite(code)])
        let finding = findings.first { $0.rule == "pregnancy:\(code)" }
        #expect(finding?.severity == .contraindication)
    }

    @Test("pregnancy leaves other points alone", arguments: ["LI11", "ST36", "PC6", "BL23", "LR3"])
    func pregnancyIgnores(code: String) {
        #expect(!rules(["pregnancy"], [pointSite(code)]).contains { $0.hasPrefix("pregnancy:") })
    }

    @Test("pregnancy flags abdominal and pelvic muscles, not limb muscles")
    func pregnancyMuscles() {
        #expect(rules(["pregnancy"], [muscleSite("gluteus medius")]) == ["pregnancy:gluteus-medius"])
        #expect(rules(["pregnancy"], [muscleSite("iliopsoas")]) == ["pregnancy:iliopsoas"])
        #expect(rules(["pregnancy"], [muscleSite("gastrocnemius")]).isEmpty)
    }

    @Test("pregnancy rules need the precaution")
    func pregnancyNeedsPrecaution() {
        #expect(rules([], [pointSite("LI4"), pointSite("SP6")]).isEmpty)
    }

    @Test("pacemaker and implanted devices forbid electro-stimulation", arguments: ["pacemaker", "implanted-device"])
    func electroStim(kind: String) {
        let flagged = ContraindicationRules.findings(
            precautions: [precaution(kind)], sites: [pointSite("LI11", estim: true)])
        #expect(flagged.map(\.rule) == ["\(kind):electro-stim"])
        #expect(flagged.first?.severity == .contraindication)
        #expect(rules([kind], [pointSite("LI11"), muscleSite("deltoid")]).isEmpty)
        #expect(rules([], [pointSite("LI11", estim: true)]).isEmpty)
    }

    @Test("anticoagulants and bleeding disorders flag deep needling", arguments: ["anticoagulants", "bleeding-disorder"])
    func deepNeedling(kind: String) {
        let flagged = ContraindicationRules.findings(
            precautions: [precaution(kind)], sites: [muscleSite("gluteus maximus", depth: 25)])
        #expect(flagged.map(\.rule) == ["\(kind):deep-needling"])
        #expect(flagged.first?.severity == .precaution)
        #expect(rules([kind], [muscleSite("gluteus maximus", depth: ContraindicationRules.deepNeedlingMillimetres)])
            == ["\(kind):deep-needling"])
        #expect(rules([kind], [muscleSite("gluteus maximus", depth: 10)]).isEmpty)
        #expect(rules([kind], [muscleSite("gluteus maximus")]).isEmpty)
        #expect(ContraindicationRules.deepNeedlingMillimetres == 20)
    }

    @Test("lymphoedema flags needling in the affected limb only", arguments: [
        ("lymphoedema:left-arm", "LI4", NeedleSide.left, true),
        ("lymphoedema:left-arm", "LI4", .right, false),
        ("lymphoedema:left-arm", "LI4", .bilateral, true),
        ("lymphoedema:left-arm", "ST36", .left, false),
        ("lymphoedema:left-arm", "GB21", .left, false),
        ("lymphoedema:right-leg", "ST36", .right, true),
        ("lymphoedema:right-leg", "LR3", .bilateral, true),
        ("lymphoedema:right-leg", "ST36", .left, false),
    ])
    func lymphoedema(text: String, code: String, side: NeedleSide, flagged: Bool) {
        let found = rules([text], [pointSite(code, side)])
        #expect(found.contains(text) == flagged)
    }

    @Test("lymphoedema matches muscles by region and side")
    func lymphoedemaMuscles() {
        let findings = ContraindicationRules.findings(
            precautions: [precaution("lymphoedema:right-arm")], sites: [muscleSite("wrist extensors", .right)])
        #expect(findings.map(\.rule) == ["lymphoedema:right-arm"])
        #expect(findings.first?.severity == .contraindication)
        #expect(rules(["lymphoedema:right-arm"], [muscleSite("wrist extensors", .left)]).isEmpty)
    }

    @Test("thorax, eye and neck points are flagged for every patient", arguments: [
        ("GB21", "thorax:GB21"), ("LU1", "thorax:LU1"), ("LU2", "thorax:LU2"), ("BL11", "thorax:BL11"),
        ("BL17", "thorax:BL17"), ("BL43", "thorax:BL43"), ("ST13", "thorax:ST13"), ("ST18", "thorax:ST18"),
        ("KI22", "thorax:KI22"), ("KI27", "thorax:KI27"), ("BL1", "eye:BL1"), ("ST1", "eye:ST1"),
        ("ST9", "neck:ST9"), ("CV22", "neck:CV22"), ("LI18", "neck:LI18"),
    ])
    func alwaysFlagged(code: String, rule: String) {
        let findings = ContraindicationRules.findings(precautions: [], sites: [pointSite(code)])
        #expect(findings.map(\.rule) == [rule])
        #expect(findings.first?.severity == .precaution)
    }

    @Test("points away from lung, eye and neck are not flagged", arguments: [
        "BL18", "BL23", "ST12", "ST19", "KI21", "LI4", "ST36", "BL2", "ST2", "LI17", "CV21", "GB20",
    ])
    func notFlagged(code: String) {
        #expect(rules([], [pointSite(code)]).isEmpty)
    }

    @Test("chest wall muscles are flagged, others are not")
    func thoraxMuscles() {
        #expect(rules([], [muscleSite("pectoralis major")]) == ["thorax:pectoralis-major"])
        #expect(rules([], [muscleSite("intercostals")]) == ["thorax:intercostals"])
        #expect(rules([], [muscleSite("infraspinatus")]).isEmpty)
    }

    @Test("needling-wide precautions flag any needling", arguments: [
        "needle-phobia", "immunosuppression", "diabetes", "epilepsy", "metal-allergy",
    ])
    func anyNeedling(kind: String) {
        let findings = ContraindicationRules.findings(precautions: [precaution(kind)], sites: [muscleSite("soleus")])
        #expect(findings.map(\.rule) == ["\(kind):needling"])
        #expect(findings.first?.severity == .precaution)
        #expect(rules([kind], []).isEmpty)
    }

    @Test("every precaution kind has a rule that can fire", arguments: PrecautionKind.allCases)
    func everyKindCovered(kind: PrecautionKind) throws {
        let chosen = try Precaution(kind: kind, limb: kind == .lymphoedema ? .leftArm : nil)
        let site = NeedlingSite(point: try AcupointCatalog.point("LI4"), side: .bilateral, depthMillimetres: 30, electroStim: true)
        let findings = ContraindicationRules.findings(precautions: [chosen], sites: [site])
        #expect(findings.contains { $0.rule.hasPrefix("\(kind.rawValue):") })
    }

    @Test("findings are de-duplicated, sorted and all need acknowledgement")
    func sortedAndUnique() {
        let sites = [pointSite("GB21"), pointSite("GB21", .right), pointSite("LI4", .bilateral, depth: 25, estim: true),
                     pointSite("ST25"), muscleSite("pectoralis major")]
        let findings = ContraindicationRules.findings(
            precautions: [precaution("pregnancy"), precaution("pacemaker"), precaution("anticoagulants"),
                          precaution("lymphoedema:left-arm"), precaution("diabetes"), precaution("diabetes")],
            sites: sites)
        let expected = [
            "anticoagulants:deep-needling", "diabetes:needling", "lymphoedema:left-arm", "pacemaker:electro-stim",
            "pregnancy:GB21", "pregnancy:LI4", "pregnancy:ST25", "thorax:GB21", "thorax:pectoralis-major",
        ]
        #expect(findings.map(\.rule) == expected)
        #expect(findings.allSatisfy(ContraindicationRules.requiresAcknowledgement))
        #expect(findings.allSatisfy { $0.message.hasPrefix($0.rule + ": ") })
        let reversed = ContraindicationRules.findings(
            precautions: [precaution("diabetes"), precaution("lymphoedema:left-arm"), precaution("anticoagulants"),
                          precaution("pacemaker"), precaution("pregnancy")],
            sites: sites.reversed())
        #expect(reversed == findings)
    }
}
