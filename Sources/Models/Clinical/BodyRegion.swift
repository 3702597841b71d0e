/// Where on the body a needle goes: the safety rules (pregnancy, pneumothorax,
/// lymphoedema) are about regions, so points and muscles both carry one.
public enum BodyRegion: String, Sendable, Codable, CaseIterable {
    case head, face, eye, neck, thorax, upperBack, abdomen, lowBack, pelvis, arm, hand, leg, foot
}

/// Which side a needle was placed on, as `note needle --side` records it;
/// `midline` is for points on the centre line (GV, CV) that have no side.
public enum NeedleSide: String, Sendable, Codable, CaseIterable {
    case left, right, bilateral, midline
}

/// A whole limb, the unit lymphoedema is recorded against (`lymphoedema:left-arm`).
public enum Limb: String, Sendable, Codable, CaseIterable {
    case leftArm = "left-arm", rightArm = "right-arm", leftLeg = "left-leg", rightLeg = "right-leg"

    /// The limbs a needle in `region` on `side` touches, so a limb precaution can
    /// be matched against a site: trunk, head and midline sites touch no limb.
    public static func limbs(region: BodyRegion, side: NeedleSide) -> [Limb] {
        let pair: (left: Limb, right: Limb)
        switch region {
        case .arm, .hand: pair = (.leftArm, .rightArm)
        case .leg, .foot: pair = (.leftLeg, .rightLeg)
        case .head, .face, .eye, .neck, .thorax, .upperBack, .abdomen, .lowBack, .pelvis: return []
        }
        switch side {
        case .left: return [pair.left]
        case .right: return [pair.right]
        case .bilateral: return [pair.left, pair.right]
        case .midline: return []
        }
    }
}
