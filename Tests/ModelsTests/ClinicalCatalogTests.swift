import Models
import Testing

@Suite("Clinical acupoint catalog")
struct ClinicalAcupointCatalogTests {
    @Test("holds the 361 WHO points, each code once, in channel order")
    func count() {
        let codes = AcupointCatalog.all.filter { !$0.meridian.isExtra }.map(\.code)
        #expect(codes.count == 361)
        #expect(Set(codes).count == 361)
        #expect(Meridian.channels.reduce(0) { $0 + $1.pointCount } == 361)
        #expect(codes.first == "LU1")
        #expect(codes.last == "CV24")
    }

    @Test("adds the 48 WHO extra points and the five NADA ear points after the channels")
    func extras() {
        let extras = AcupointCatalog.all.filter(\.meridian.isExtra).map(\.code)
        #expect(extras.count == 48 + 5)
        #expect(Set(AcupointCatalog.all.map(\.code)).count == 361 + 48 + 5)
        #expect(extras.first == "EX-HN1")
        #expect(extras.last == "NADA5")
    }

    @Test("extra and ear points carry their names and parse in any spelling", arguments: [
        ("EX-HN3", "ex-hn3", "Yintang"), ("EX-HN5", "EXHN5", "Taiyang"), ("EX-HN15", "ex hn 15", "Jingbailao"),
        ("EX-CA1", "EX-CA1", "Zigong"), ("EX-B2", "ex-b-2", "Jiaji"), ("EX-B9", "EXB9", "Yaoqi"),
        ("EX-UE9", "ex-ue9", "Baxie"), ("EX-UE11", "EX-UE11", "Shixuan"), ("EX-LE4", "ex-le4", "Neixiyan"),
        ("EX-LE12", "EX-LE12", "Qiduan"), ("NADA1", "nada1", "Sympathetic"), ("NADA2", "NADA 2", "Shen Men"),
        ("NADA3", "NADA3", "Kidney"), ("NADA4", "nada-4", "Liver"), ("NADA5", "NADA5", "Lung"),
    ])
    func extraNames(code: String, typed: String, name: String) throws {
        let point = try AcupointCatalog.point(typed)
        #expect(point.code == code)
        #expect(point.name == name)
    }

    @Test("extra groups refuse numbers past their end, naming the range", arguments: ["EX-HN16", "EX-CA2", "EX-B10", "EX-UE12", "EX-LE13", "NADA6"])
    func extraRanges(typed: String) {
        #expect(throws: ClinicError.self) { try AcupointCatalog.point(typed) }
    }

    @Test("Yintang is on the midline and needs no side; Taiyang needs one")
    func extraMidline() throws {
        #expect(try NeedleSide.resolved(nil, point: AcupointCatalog.point("EX-HN3")) == .midline)
        #expect(throws: ClinicError.self) { try NeedleSide.resolved(nil, point: AcupointCatalog.point("EX-HN5")) }
    }

    @Test("each channel runs from 1 to its point count with nothing extra", arguments: Meridian.allCases)
    func ranges(meridian: Meridian) throws {
        let numbers = AcupointCatalog.all.filter { $0.meridian == meridian }.map(\.number)
        #expect(numbers == Array(1...meridian.pointCount))
        for number in numbers {
            #expect(try AcupointCatalog.point("\(meridian.rawValue)\(number)").number == number)
        }
    }

    @Test("channel sizes and English names", arguments: [
        (Meridian.LU, 11, "Lung"), (.LI, 20, "Large Intestine"), (.ST, 45, "Stomach"), (.SP, 21, "Spleen"),
        (.HT, 9, "Heart"), (.SI, 19, "Small Intestine"), (.BL, 67, "Bladder"), (.KI, 27, "Kidney"),
        (.PC, 9, "Pericardium"), (.TE, 23, "Triple Energizer"), (.GB, 44, "Gallbladder"), (.LR, 14, "Liver"),
        (.GV, 28, "Governor Vessel"), (.CV, 24, "Conception Vessel"),
    ])
    func channels(meridian: Meridian, count: Int, name: String) {
        #expect(meridian.pointCount == count)
        #expect(meridian.englishName == name)
    }

    @Test("well-known points carry their WHO pinyin name", arguments: [
        ("LU1", "Zhongfu"), ("LI4", "Hegu"), ("ST36", "Zusanli"), ("SP6", "Sanyinjiao"), ("GB21", "Jianjing"),
        ("BL1", "Jingming"), ("ST1", "Chengqi"), ("ST9", "Renying"), ("CV22", "Tiantu"), ("LI18", "Futu"),
        ("BL40", "Weizhong"), ("BL60", "Kunlun"), ("BL67", "Zhiyin"), ("KI1", "Yongquan"), ("PC6", "Neiguan"),
        ("TE5", "Waiguan"), ("GB34", "Yanglingquan"), ("LR3", "Taichong"), ("GV20", "Baihui"), ("CV17", "Danzhong"),
        ("HT7", "Shenmen"), ("SI3", "Houxi"), ("LU11", "Shaoshang"), ("GB44", "Zuqiaoyin"), ("GV28", "Yinjiao"),
    ])
    func names(code: String, name: String) throws {
        #expect(try AcupointCatalog.point(code).name == name)
    }

    @Test("points lie in plausible regions", arguments: [
        ("LU1", BodyRegion.thorax), ("LU5", .arm), ("LI4", .hand), ("LI11", .arm), ("LI16", .upperBack),
        ("LI18", .neck), ("LI20", .face), ("ST1", .face), ("ST9", .neck), ("ST15", .thorax), ("ST25", .abdomen),
        ("ST36", .leg), ("ST44", .foot), ("SP6", .leg), ("BL1", .eye), ("BL2", .face), ("BL10", .neck),
        ("BL13", .upperBack), ("BL23", .lowBack), ("BL32", .pelvis), ("BL40", .leg), ("BL43", .upperBack),
        ("BL57", .leg), ("BL60", .foot), ("KI3", .foot), ("KI16", .abdomen), ("KI27", .thorax), ("PC6", .arm),
        ("GB20", .neck), ("GB21", .upperBack), ("GB30", .pelvis), ("GB34", .leg), ("LR3", .foot), ("GV4", .lowBack),
        ("GV20", .head), ("CV6", .abdomen), ("CV17", .thorax), ("CV22", .neck), ("CV24", .face),
    ])
    func regions(code: String, region: BodyRegion) throws {
        #expect(try AcupointCatalog.point(code).region == region)
    }

    @Test("every spelling clinicians use finds the WHO code", arguments: [
        ("UB60", "BL60"), ("SJ5", "TE5"), ("TW5", "TE5"), ("TB5", "TE5"), ("LV3", "LR3"), ("Liv3", "LR3"),
        ("Du20", "GV20"), ("Ren17", "CV17"), ("li-4", "LI4"), ("Li 4", "LI4"), ("LI.4", "LI4"), ("li4", "LI4"),
        ("  st36 ", "ST36"), ("P6", "PC6"), ("H7", "HT7"), ("HE7", "HT7"), ("K3", "KI3"), ("sp-6", "SP6"),
        ("gb 21", "GB21"), ("cv_22", "CV22"),
    ])
    func aliases(text: String, code: String) throws {
        #expect(try AcupointCatalog.point(text).code == code)
    }

    @Test("refuses a number past the end of its channel, naming the valid range", arguments: [
        ("LU12", "LU12 does not exist: the Lung meridian has LU1–LU11"),
        ("ST46", "ST46 does not exist: the Stomach meridian has ST1–ST45"),
        ("LI0", "LI0 does not exist: the Large Intestine meridian has LI1–LI20"),
        ("UB68", "BL68 does not exist: the Bladder meridian has BL1–BL67"),
    ])
    func outOfRange(text: String, message: String) {
        #expect(throws: ClinicError(.unknownPoint, ErrorMessage(verbatim: message))) { try AcupointCatalog.point(text) }
    }

    @Test("refuses what is no point at all, listing the channel ranges",
          arguments: ["XX1", "", "4", "LI", "S36", "LI4a", "LI9999", "L14"])
    func unknown(text: String) {
        #expect(clinicErrorCode { _ = try AcupointCatalog.point(text) } == "unknown-point")
        do {
            _ = try AcupointCatalog.point(text)
        } catch let error as ClinicError {
            #expect(error.category == .usage)
            #expect(error.message.contains("LU1–LU11"))
            #expect(error.message.contains("GV1–GV28"))
        } catch {
            Issue.record("unexpected \(error)")
        }
    }
}

@Suite("Clinical muscle catalog")
struct ClinicalMuscleCatalogTests {
    @Test("names are unique and lower case")
    func unique() {
        let names = MuscleCatalog.all.map(\.name)
        #expect(Set(names).count == names.count)
        #expect(names.allSatisfy { $0 == $0.lowercased() })
        #expect(names.count >= 50)
    }

    @Test("finds a muscle by name, alias, case or spacing", arguments: [
        ("upper trapezius", "upper trapezius", BodyRegion.upperBack), ("Upper  Trapezius", "upper trapezius", .upperBack),
        ("upper-trapezius", "upper trapezius", .upperBack), ("QL", "quadratus lumborum", .lowBack),
        ("glute med", "gluteus medius", .pelvis), ("levator scap", "levator scapulae", .neck),
        ("SCM", "sternocleidomastoid", .neck), ("scalenes", "scalenes", .neck),
        ("pectoralis major", "pectoralis major", .thorax), ("rhomboids", "rhomboids", .upperBack),
        ("TFL", "tensor fasciae latae", .leg), ("psoas", "iliopsoas", .abdomen), ("masseter", "masseter", .face),
        ("temporalis", "temporalis", .head), ("FDB", "flexor digitorum brevis", .foot),
        ("fibularis longus", "peroneus longus", .leg), ("VMO", "vastus medialis", .leg),
        ("wrist extensors", "wrist extensors", .arm), ("first dorsal interosseous", "first dorsal interosseous", .hand),
    ])
    func lookup(text: String, name: String, region: BodyRegion) throws {
        let muscle = try MuscleCatalog.muscle(text)
        #expect(muscle.name == name)
        #expect(muscle.region == region)
    }

    @Test("every catalogue name finds itself and prints a dashed code")
    func roundTrip() throws {
        for muscle in MuscleCatalog.all {
            #expect(try MuscleCatalog.muscle(muscle.name) == muscle)
            #expect(try MuscleCatalog.muscle(muscle.code) == muscle)
            #expect(!muscle.code.contains(" "))
        }
    }

    @Test("refuses an unknown muscle", arguments: ["", "trapezius biscuit", "biceps", "hamstrings", "xyz"])
    func unknown(text: String) {
        #expect(clinicErrorCode { _ = try MuscleCatalog.muscle(text) } == "unknown-muscle")
    }

    @Test("suggests close names for a typo")
    func suggestions() {
        #expect(throws: ClinicError.self) { try MuscleCatalog.muscle("upper trapezus") }
        do {
            _ = try MuscleCatalog.muscle("gastrocnemus")
        } catch let error as ClinicError {
            #expect(error.code.name == "unknown-muscle")
            #expect(error.message.contains("did you mean gastrocnemius"))
            #expect(!error.message.contains("gastrocnemus"))
        } catch {
            Issue.record("unexpected \(error)")
        }
    }
}

@Suite("Clinical limbs")
struct ClinicalLimbTests {
    @Test("sides map to limbs for limb regions only", arguments: [
        (BodyRegion.hand, NeedleSide.left, [Limb.leftArm]), (.arm, .right, [.rightArm]),
        (.arm, .bilateral, [.leftArm, .rightArm]), (.leg, .left, [.leftLeg]), (.foot, .bilateral, [.leftLeg, .rightLeg]),
        (.arm, .midline, []), (.thorax, .left, []), (.neck, .bilateral, []), (.pelvis, .right, []),
    ])
    func limbs(region: BodyRegion, side: NeedleSide, expected: [Limb]) {
        #expect(Limb.limbs(region: region, side: side) == expected)
    }
}
