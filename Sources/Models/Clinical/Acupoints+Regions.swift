/// Which body region each point lies in, as runs of consecutive point numbers:
/// `Span(through: 2, .thorax)` after the start means "up to point 2, thorax".
/// Approximate by design: enough for region-level safety rules, not a map.
enum AcupointRegions {
    /// A run of points ending at `through` (inclusive) that share a region.
    struct Span: Sendable {
        let through: Int
        let region: BodyRegion
        init(_ through: Int, _ region: BodyRegion) {
            self.through = through
            self.region = region
        }
    }

    static func region(of meridian: Meridian, number: Int) -> BodyRegion {
        let table = spans(of: meridian)
        return (table.first { number <= $0.through } ?? table.last)?.region ?? .thorax
    }

    static func spans(of meridian: Meridian) -> [Span] {
        switch meridian {
        // LU1–2 infraclavicular chest; LU3–9 arm to the wrist crease; LU10–11 hand.
        case .LU: [Span(2, .thorax), Span(9, .arm), Span(11, .hand)]
        // LI1–5 hand to the wrist; LI6–15 forearm, elbow, shoulder (Jianyu);
        // LI16 top of the shoulder; LI17–18 neck; LI19–20 face.
        case .LI: [Span(5, .hand), Span(15, .arm), Span(16, .upperBack), Span(18, .neck), Span(20, .face)]
        // ST1–8 face; ST9–10 neck; ST11–18 chest; ST19–30 abdomen (to Qichong in
        // the groin); ST31–41 thigh and leg to the ankle; ST42–45 foot.
        case .ST: [Span(8, .face), Span(10, .neck), Span(18, .thorax), Span(30, .abdomen), Span(41, .leg), Span(45, .foot)]
        // SP1–5 foot to the ankle; SP6–11 leg and thigh; SP12–16 abdomen; SP17–21 lateral chest.
        case .SP: [Span(5, .foot), Span(11, .leg), Span(16, .abdomen), Span(21, .thorax)]
        // HT1 axilla to HT6 forearm; HT7 wrist crease to HT9 hand.
        case .HT: [Span(6, .arm), Span(9, .hand)]
        // SI1–5 hand to the wrist; SI6–8 forearm/elbow; SI9–15 scapula; SI16–17 neck; SI18–19 face.
        case .SI: [Span(5, .hand), Span(8, .arm), Span(15, .upperBack), Span(17, .neck), Span(19, .face)]
        // BL1 inner canthus; BL2 eyebrow; BL3–9 scalp; BL10 nape; BL11–21 T1–T12;
        // BL22–30 L1 to sacral levels; BL31–35 sacral foramina and coccyx; BL36–40 thigh
        // and popliteal fossa; BL41–50 outer line T2–T12; BL51–52 L1–L2; BL53–54 sacral
        // level; BL55–59 calf; BL60–67 ankle and foot.
        case .BL:
            [Span(1, .eye), Span(2, .face), Span(9, .head), Span(10, .neck), Span(21, .upperBack), Span(30, .lowBack),
             Span(35, .pelvis), Span(40, .leg), Span(50, .upperBack), Span(52, .lowBack), Span(54, .pelvis),
             Span(59, .leg), Span(67, .foot)]
        // KI1–6 sole and ankle; KI7–10 leg; KI11–21 abdomen; KI22–27 chest.
        case .KI: [Span(6, .foot), Span(10, .leg), Span(21, .abdomen), Span(27, .thorax)]
        // PC1 chest beside the nipple; PC2–6 arm; PC7 wrist crease to PC9 hand.
        case .PC: [Span(1, .thorax), Span(6, .arm), Span(9, .hand)]
        // TE1–4 hand to the wrist; TE5–14 forearm to shoulder; TE15 suprascapular;
        // TE16 neck; TE17–20 around the ear; TE21–23 face.
        case .TE: [Span(4, .hand), Span(14, .arm), Span(15, .upperBack), Span(16, .neck), Span(20, .head), Span(23, .face)]
        // GB1–3 face; GB4–13 temple and scalp; GB14 forehead; GB15–19 scalp; GB20 nape;
        // GB21 top of the shoulder; GB22–24 lateral chest; GB25–28 flank and lateral
        // abdomen; GB29–30 hip and buttock; GB31–39 thigh and leg; GB40–44 ankle and foot.
        case .GB:
            [Span(3, .face), Span(13, .head), Span(14, .face), Span(19, .head), Span(20, .neck), Span(21, .upperBack),
             Span(24, .thorax), Span(28, .abdomen), Span(30, .pelvis), Span(39, .leg), Span(44, .foot)]
        // LR1–4 foot to the ankle; LR5–11 leg and thigh; LR12 groin; LR13 flank; LR14 chest.
        case .LR: [Span(4, .foot), Span(11, .leg), Span(12, .pelvis), Span(13, .abdomen), Span(14, .thorax)]
        // GV1–2 coccyx and sacral hiatus; GV3–5 lumbar; GV6–14 thoracic to C7;
        // GV15–16 nape; GV17–24 scalp; GV25–28 face.
        case .GV:
            [Span(2, .pelvis), Span(5, .lowBack), Span(14, .upperBack), Span(16, .neck), Span(24, .head), Span(28, .face)]
        // CV1 perineum; CV2–15 abdomen (pubis to below the xiphoid); CV16–21 sternum;
        // CV22–23 throat; CV24 chin.
        case .CV: [Span(1, .pelvis), Span(15, .abdomen), Span(21, .thorax), Span(23, .neck), Span(24, .face)]
        // EX-HN1–2 scalp; EX-HN3–5 forehead, eyebrow, temple; EX-HN6 ear apex; EX-HN7 lower orbit;
        // EX-HN8–13 nose, mouth and tongue; EX-HN14 behind the ear; EX-HN15 nape.
        case .EXHN:
            [Span(2, .head), Span(5, .face), Span(6, .head), Span(7, .eye), Span(13, .face), Span(14, .head), Span(15, .neck)]
        // EX-CA1 (Zigong) lower abdomen.
        case .EXCA: [Span(1, .abdomen)]
        // EX-B1 beside C7; EX-B2 (Jiaji) T1–L5, counted with the thoracic part; EX-B3 at T8;
        // EX-B4–8 lumbar; EX-B9 sacrum.
        case .EXB: [Span(3, .upperBack), Span(8, .lowBack), Span(9, .pelvis)]
        // EX-UE1–2 elbow and forearm; EX-UE3–11 wrist, hand and fingers.
        case .EXUE: [Span(2, .arm), Span(11, .hand)]
        // EX-LE1–9 thigh, knee, leg and malleoli; EX-LE10–12 foot and toes.
        case .EXLE: [Span(9, .leg), Span(12, .foot)]
        // The ear, counted with the head.
        case .NADA: [Span(5, .head)]
        }
    }
}
