"""Cases of the 2025 reform built with the org services, for the tests of scope bounded
in time and of the national-size pages: Quận Ba Đình and Quận Tây Hồ with the new wards
that took pieces of both, and the Kim Bảng communes (Hà Nam merged into Ninh Bình).

Names and official codes (the unit codes of the old units, in comments for the new ones,
which carry a predecessor's official code but not its identity) are those of the catalog
as of 30/06/2025; the composition of the new wards is reduced to the pieces each case
needs (Resolutions 1656/NQ-UBTVQH15 for Hà Nội and 1674/NQ-UBTVQH15 for Ninh Bình).
"""

import datetime

from thidua.accounts.system import SYSTEM
from thidua.org import services
from thidua.org.choices import UnitKind

REFORM = datetime.date(2025, 7, 1)
BEFORE = datetime.date(2015, 1, 1)
D = UnitKind.DISTRICT
C = UnitKind.COMMUNE


def unit(code, name, parent=None, kind=C, on=BEFORE):
    return services.create_unit(
        code=code, kind=kind, name=name, parent=parent, established_on=on, actor=SYSTEM
    )


def worked(person, first, then=None):
    """`person` worked in `first` from 2015, and from the reform in `then` (if given)."""
    employment = services.start_employment(person, first, BEFORE, actor=SYSTEM)
    if then is not None:
        services.transfer_person(person, then, REFORM, actor=SYSTEM)
    return employment


def build_hanoi():
    """Quận Ba Đình (001) and Quận Tây Hồ (003) before 1/7/2025, then the new wards:
    Phường Ba Đình takes Trúc Bạch (00004) and Quán Thánh (00013) whole, and pieces of
    Phúc Xá (00001, Ba Đình) and Thụy Khuê (00103, Tây Hồ); Phường Tây Hồ takes Yên Phụ
    (00097) and the rest of Thụy Khuê; Phường Hồng Hà the rest of Phúc Xá (a split ward)."""
    u = {"hn": unit("01", "Thành phố Hà Nội", kind=UnitKind.PROVINCE)}
    u["q_bd"] = unit("001", "Quận Ba Đình", u["hn"], D)
    u["q_th"] = unit("003", "Quận Tây Hồ", u["hn"], D)
    u["phuc_xa"] = unit("00001", "Phường Phúc Xá", u["q_bd"])
    u["truc_bach"] = unit("00004", "Phường Trúc Bạch", u["q_bd"])
    u["quan_thanh"] = unit("00013", "Phường Quán Thánh", u["q_bd"])
    u["yen_phu"] = unit("00097", "Phường Yên Phụ", u["q_th"])
    u["thuy_khue"] = unit("00103", "Phường Thụy Khuê", u["q_th"])
    # The new wards carry a predecessor's official code, not its identity.
    u["p_bd"] = unit("01-2025-00004", "Phường Ba Đình", u["hn"], on=REFORM)
    u["p_th"] = unit("01-2025-00091", "Phường Tây Hồ", u["hn"], on=REFORM)
    u["p_hh"] = unit("01-2025-00097", "Phường Hồng Hà", u["hn"], on=REFORM)
    act = "1656/NQ-UBTVQH15"
    services.split_unit(u["phuc_xa"], [u["p_bd"], u["p_hh"]], REFORM, decision=act, actor=SYSTEM)
    services.split_unit(u["thuy_khue"], [u["p_bd"], u["p_th"]], REFORM, decision=act, actor=SYSTEM)
    services.merge_units(
        [u["truc_bach"], u["quan_thanh"]], u["p_bd"], REFORM, decision=act, actor=SYSTEM
    )
    services.merge_units([u["yen_phu"]], u["p_th"], REFORM, decision=act, actor=SYSTEM)
    for district in (u["q_bd"], u["q_th"]):
        services.dissolve_unit(district, REFORM, decision=act, actor=SYSTEM)
    return u


def build_kim_bang():
    """Hà Nam (35) merged into Ninh Bình (37) on 1/7/2025; Huyện Kim Bảng (350) and Thành
    phố Phủ Lý (347) abolished. Xã Thanh Sơn (13378) continues as the new ward, under
    Ninh Bình, absorbing Xã Thi Sơn (13375, Kim Bảng) and Phường Châu Sơn (13306, Phủ Lý,
    merged in from elsewhere)."""
    u = {"nb": unit("37", "Tỉnh Ninh Bình", kind=UnitKind.PROVINCE)}
    u["hna"] = unit("35", "Tỉnh Hà Nam", kind=UnitKind.PROVINCE)
    u["kb"] = unit("350", "Huyện Kim Bảng", u["hna"], D)
    u["pl"] = unit("347", "Thành phố Phủ Lý", u["hna"], D)
    u["thanh_son"] = unit("13378", "Xã Thanh Sơn", u["kb"])
    u["thi_son"] = unit("13375", "Xã Thi Sơn", u["kb"])
    u["chau_son"] = unit("13306", "Phường Châu Sơn", u["pl"])
    act = "1674/NQ-UBTVQH15"
    services.change_unit(
        u["thanh_son"], REFORM, name="Phường Lý Thường Kiệt", parent=u["nb"], actor=SYSTEM
    )
    services.merge_units(
        [u["thanh_son"], u["thi_son"], u["chau_son"]],
        u["thanh_son"],
        REFORM,
        decision=act,
        actor=SYSTEM,
    )
    for district in (u["kb"], u["pl"]):
        services.dissolve_unit(district, REFORM, decision=act, actor=SYSTEM)
    services.merge_units([u["hna"], u["nb"]], u["nb"], REFORM, decision=act, actor=SYSTEM)
    return u
