"""The fixed lists the Kim Bảng demo world is built from: units, names, positions, texts.

Kept as data so that `demo.py` holds only the rules that turn them into a dataset.
Unit names of 2020 are the real ones (Hà Nam province, Kim Bảng district and its 18
communes and towns); the wards created on 1/7/2025, the schools and all people are
invented. Decision numbers are plausible, not quoted.
"""

# --- units ------------------------------------------------------------------------------
# (code, name)
CENTRAL = [("CTN", "Chủ tịch nước"), ("TTG", "Thủ tướng Chính phủ")]

# (code, name, established_on)
PROVINCES = [
    ("HNA", "Tỉnh Hà Nam", "1997-01-01"),
    ("NDI", "Tỉnh Nam Định", "1997-01-01"),
    ("NBI-CU", "Tỉnh Ninh Bình", "1992-04-01"),
]
NEW_PROVINCE = ("NBI", "Tỉnh Ninh Bình")

# Provincial departments of Hà Nam and the departments of the new Ninh Bình they merged
# into: (code, name, initial staff, successor code, decision suffix).
HNA_DEPARTMENTS = [
    ("HNA-VP", "Văn phòng UBND tỉnh", 16, "NBI-VP", "VP"),
    ("HNA-SNV", "Sở Nội vụ", 18, "NBI-SNV", "SNV"),
    ("HNA-STC", "Sở Tài chính", 16, "NBI-STC", "STC"),
    ("HNA-SGDDT", "Sở Giáo dục và Đào tạo", 16, "NBI-SGDDT", "SGDĐT"),
    ("HNA-SYT", "Sở Y tế", 14, "NBI-SYT", "SYT"),
]

KB = ("KB", "Huyện Kim Bảng")

# The wards that replaced Kim Bảng's communes on 1/7/2025: (code, name).
NEW_WARDS = [
    ("NBI-KIMBANG", "Phường Kim Bảng"),
    ("NBI-LEHO", "Phường Lê Hồ"),
    ("NBI-NGUYENUY", "Phường Nguyễn Úy"),
    ("NBI-LYTHUONGKIET", "Phường Lý Thường Kiệt"),
    ("NBI-KIMTHANH", "Phường Kim Thanh"),
    ("NBI-TAMCHUC", "Phường Tam Chúc"),
]

# Kim Bảng's communes and towns in 2020: (code, name, initial staff, ward merged into).
KB_COMMUNES = [
    ("KB-QUE", "Thị trấn Quế", 22, "NBI-KIMBANG"),
    ("KB-BASAO", "Thị trấn Ba Sao", 20, "NBI-TAMCHUC"),
    ("KB-DAICUONG", "Xã Đại Cương", 19, "NBI-LEHO"),
    ("KB-DONGHOA", "Xã Đồng Hóa", 18, "NBI-KIMBANG"),
    ("KB-HOANGTAY", "Xã Hoàng Tây", 18, "NBI-KIMTHANH"),
    ("KB-KHAPHONG", "Xã Khả Phong", 19, "NBI-TAMCHUC"),
    ("KB-LEHO", "Xã Lê Hồ", 20, "NBI-LEHO"),
    ("KB-LIENSON", "Xã Liên Sơn", 18, "NBI-TAMCHUC"),
    ("KB-NGOCSON", "Xã Ngọc Sơn", 18, "NBI-LYTHUONGKIET"),
    ("KB-NGUYENUY", "Xã Nguyễn Úy", 19, "NBI-NGUYENUY"),
    ("KB-NHATTAN", "Xã Nhật Tân", 19, "NBI-KIMTHANH"),
    ("KB-NHATTUU", "Xã Nhật Tựu", 19, "NBI-KIMTHANH"),
    ("KB-TANSON", "Xã Tân Sơn", 18, "NBI-NGUYENUY"),
    ("KB-THANHSON", "Xã Thanh Sơn", 19, "NBI-LYTHUONGKIET"),
    ("KB-THISON", "Xã Thi Sơn", 19, "NBI-LYTHUONGKIET"),
    ("KB-THUYLOI", "Xã Thụy Lôi", 18, "NBI-NGUYENUY"),
    ("KB-TUONGLINH", "Xã Tượng Lĩnh", 18, "NBI-LEHO"),
    ("KB-VANXA", "Xã Văn Xá", 18, "NBI-KIMBANG"),
]

# Specialised offices (phòng) of the district People's Committee: (code, name, staff,
# head's title).
KB_OFFICES = [
    ("KB-VP", "Văn phòng HĐND và UBND huyện", 14, "Chánh Văn phòng"),
    ("KB-PNV", "Phòng Nội vụ", 12, "Trưởng phòng"),
    ("KB-PTCKH", "Phòng Tài chính - Kế hoạch", 11, "Trưởng phòng"),
    ("KB-PKTHT", "Phòng Kinh tế và Hạ tầng", 10, "Trưởng phòng"),
    ("KB-PNN", "Phòng Nông nghiệp và Phát triển nông thôn", 9, "Trưởng phòng"),
    ("KB-PTNMT", "Phòng Tài nguyên và Môi trường", 9, "Trưởng phòng"),
    ("KB-PVHTT", "Phòng Văn hóa và Thông tin", 7, "Trưởng phòng"),
    ("KB-PGD", "Phòng Giáo dục và Đào tạo", 9, "Trưởng phòng"),
    ("KB-PLDTBXH", "Phòng Lao động - Thương binh và Xã hội", 8, "Trưởng phòng"),
    ("KB-PTP", "Phòng Tư pháp", 5, "Trưởng phòng"),
    ("KB-PYT", "Phòng Y tế", 4, "Trưởng phòng"),
    ("KB-TTR", "Thanh tra huyện", 6, "Chánh Thanh tra"),
]

# Public service units of the district: (code, name, staff, head's title).
KB_CENTRES = [
    ("KB-TTVH", "Trung tâm Văn hóa - Thể thao và Truyền thanh", 12, "Giám đốc"),
    ("KB-BQLDA", "Ban Quản lý dự án đầu tư xây dựng", 9, "Giám đốc"),
    ("KB-TTPTQD", "Trung tâm Phát triển quỹ đất", 7, "Giám đốc"),
    ("KB-TTGDNN", "Trung tâm Giáo dục nghề nghiệp - Giáo dục thường xuyên", 14, "Giám đốc"),
]

# Schools run by the district until 1/7/2025, then by the ward of their commune:
# (code, name, staff, commune code, decision suffix).
KB_SCHOOLS = [
    ("KB-THCS-QUE", "Trường THCS thị trấn Quế", 28, "KB-QUE", "THCS"),
    ("KB-THCS-BASAO", "Trường THCS Ba Sao", 24, "KB-BASAO", "THCS"),
    ("KB-THCS-DAICUONG", "Trường THCS Đại Cương", 24, "KB-DAICUONG", "THCS"),
    ("KB-THCS-LEHO", "Trường THCS Lê Hồ", 26, "KB-LEHO", "THCS"),
    ("KB-THCS-NGUYENUY", "Trường THCS Nguyễn Úy", 24, "KB-NGUYENUY", "THCS"),
    ("KB-THCS-NHATTAN", "Trường THCS Nhật Tân", 24, "KB-NHATTAN", "THCS"),
    ("KB-THCS-THANHSON", "Trường THCS Thanh Sơn", 23, "KB-THANHSON", "THCS"),
    ("KB-THCS-TUONGLINH", "Trường THCS Tượng Lĩnh", 23, "KB-TUONGLINH", "THCS"),
    ("KB-TH-QUE", "Trường Tiểu học thị trấn Quế", 27, "KB-QUE", "TH"),
    ("KB-TH-BASAO", "Trường Tiểu học Ba Sao", 24, "KB-BASAO", "TH"),
    ("KB-TH-HOANGTAY", "Trường Tiểu học Hoàng Tây", 23, "KB-HOANGTAY", "TH"),
    ("KB-TH-THUYLOI", "Trường Tiểu học Thụy Lôi", 23, "KB-THUYLOI", "TH"),
    ("KB-MN-QUE", "Trường Mầm non thị trấn Quế", 26, "KB-QUE", "MN"),
    ("KB-MN-KHAPHONG", "Trường Mầm non Khả Phong", 22, "KB-KHAPHONG", "MN"),
    ("KB-MN-VANXA", "Trường Mầm non Văn Xá", 22, "KB-VANXA", "MN"),
    ("KB-MN-LIENSON", "Trường Mầm non Liên Sơn", 22, "KB-LIENSON", "MN"),
]

# The other district-level units of Hà Nam, each with its Phòng Nội vụ and two of its
# communes: (code, kind, name in 2020, [(code, name in 2020, staff)], rename) where
# rename is (date, decision, {code: older name}) for Duy Tiên, a town from 1/2/2020.
OTHER_DISTRICTS = [
    (
        "PL",
        "Thành phố Phủ Lý",
        [("PL-MINHKHAI", "Phường Minh Khai", 17), ("PL-LAMHA", "Phường Lam Hạ", 16)],
        None,
    ),
    (
        "DT",
        "Thị xã Duy Tiên",
        [("DT-HOAMAC", "Phường Hòa Mạc", 17), ("DT-DONGVAN", "Phường Đồng Văn", 17)],
        (
            "2020-02-01",
            "Nghị quyết 886/NQ-UBTVQH14",
            {
                "DT": "Huyện Duy Tiên",
                "DT-HOAMAC": "Thị trấn Hòa Mạc",
                "DT-DONGVAN": "Thị trấn Đồng Văn",
            },
        ),
    ),
    (
        "TL",
        "Huyện Thanh Liêm",
        [("TL-KIENKHE", "Thị trấn Kiện Khê", 16), ("TL-THANHHA", "Xã Thanh Hà", 15)],
        None,
    ),
    (
        "BL",
        "Huyện Bình Lục",
        [("BL-BINHMY", "Thị trấn Bình Mỹ", 16), ("BL-ANNINH", "Xã An Ninh", 15)],
        None,
    ),
    (
        "LN",
        "Huyện Lý Nhân",
        [("LN-VINHTRU", "Thị trấn Vĩnh Trụ", 16), ("LN-NHANTHINH", "Xã Nhân Thịnh", 15)],
        None,
    ),
]
OTHER_DISTRICT_OFFICE_STAFF = 7

# On 1/3/2025 (the first round of the 2025 reorganisation) two offices were merged into
# others, and the office of culture took on science and technology.
KB_2025_MERGES = [("KB-PLDTBXH", "KB-PNV"), ("KB-PYT", "KB-PVHTT")]
KB_2025_RENAME = ("KB-PVHTT", "Phòng Văn hóa, Khoa học và Thông tin")

# --- decisions --------------------------------------------------------------------------
DECISION_PROVINCE_MERGE = "Nghị quyết 202/2025/QH15"
DECISION_COMMUNE_MERGE = "Nghị quyết 1674/NQ-UBTVQH15"
DECISION_DISTRICT_END = "Luật Tổ chức chính quyền địa phương 72/2025/QH15"
DECISION_KB_2025_MERGE = "Quyết định 268/QĐ-UBND huyện Kim Bảng"

# --- positions --------------------------------------------------------------------------
COMMUNE_POSITIONS = [
    "Chủ tịch UBND",
    "Phó Chủ tịch UBND",
    "Phó Chủ tịch UBND",
    "Công chức Văn phòng - Thống kê",
    "Công chức Địa chính - Xây dựng",
    "Công chức Tài chính - Kế toán",
    "Công chức Tư pháp - Hộ tịch",
    "Công chức Văn hóa - Xã hội",
    "Chỉ huy trưởng Ban Chỉ huy Quân sự",
]
COMMUNE_STAFF = "Người hoạt động không chuyên trách"
OFFICE_DEPUTY = {"Chánh Văn phòng": "Phó Chánh Văn phòng", "Chánh Thanh tra": "Phó Chánh Thanh tra"}
OFFICE_STAFF = {"Chánh Thanh tra": "Thanh tra viên"}
SCHOOL_POSITIONS = [
    "Hiệu trưởng",
    "Phó Hiệu trưởng",
    "Phó Hiệu trưởng",
    "Kế toán",
    "Nhân viên văn thư",
]
SCHOOL_STAFF = "Giáo viên"
CENTRE_STAFF = "Viên chức"
DEPARTMENT_POSITIONS = ["Giám đốc Sở", "Phó Giám đốc Sở", "Phó Giám đốc Sở", "Chánh Văn phòng Sở"]
DEPARTMENT_STAFF = "Chuyên viên"
WARD_STAFF = "Công chức"

# --- names ------------------------------------------------------------------------------
# (family name, weight in per cent), roughly as common in the Red River delta.
FAMILY_NAMES = [
    ("Nguyễn", 36),
    ("Trần", 11),
    ("Lê", 9),
    ("Phạm", 8),
    ("Hoàng", 4),
    ("Vũ", 5),
    ("Đặng", 2),
    ("Bùi", 3),
    ("Đỗ", 4),
    ("Ngô", 2),
    ("Đinh", 2),
    ("Dương", 2),
    ("Đào", 2),
    ("Trịnh", 2),
    ("Lương", 1),
    ("Mai", 1),
    ("Tạ", 1),
    ("Cao", 1),
    ("Lại", 1),
    ("Phan", 2),
    ("Hà", 1),
]
MALE_MIDDLE = [
    ("Văn", 40),
    ("Đức", 10),
    ("Minh", 8),
    ("Hữu", 6),
    ("Quang", 6),
    ("Xuân", 5),
    ("Công", 5),
    ("Thanh", 5),
    ("Mạnh", 3),
    ("Trọng", 3),
    ("Tiến", 3),
    ("Ngọc", 3),
    ("Duy", 3),
]
FEMALE_MIDDLE = [
    ("Thị", 62),
    ("Thu", 8),
    ("Ngọc", 6),
    ("Thanh", 5),
    ("Minh", 4),
    ("Hồng", 4),
    ("Kim", 3),
    ("Phương", 3),
    ("Thúy", 3),
    ("Bích", 2),
]
MALE_GIVEN = [
    "Anh", "Bình", "Cường", "Chiến", "Dũng", "Duy", "Đạt", "Điệp", "Định", "Đông", "Giang",
    "Hải", "Hậu", "Hiếu", "Hiển", "Hòa", "Hoàng", "Hùng", "Hưng", "Huy", "Khánh", "Khoa",
    "Kiên", "Lâm", "Linh", "Long", "Lợi", "Luận", "Mạnh", "Minh", "Nam", "Nghĩa", "Ngọc",
    "Phong", "Phúc", "Phương", "Quân", "Quang", "Quyết", "Sơn", "Tài", "Tâm", "Thái",
    "Thắng", "Thành", "Thịnh", "Thuận", "Tiến", "Toàn", "Trung", "Trường", "Tú", "Tuấn",
    "Tùng", "Việt", "Vinh", "Vũ", "Hợp", "Chung", "Khải",
]  # fmt: skip
FEMALE_GIVEN = [
    "Anh", "Ánh", "Bích", "Chi", "Dung", "Duyên", "Giang", "Hà", "Hạnh", "Hằng", "Hiền",
    "Hoa", "Hồng", "Huệ", "Hương", "Huyền", "Lan", "Lệ", "Liên", "Liễu", "Linh", "Loan",
    "Lụa", "Mai", "My", "Nga", "Ngân", "Ngọc", "Nhung", "Oanh", "Phượng", "Phương", "Quyên",
    "Quỳnh", "Sen", "Tâm", "Thảo", "Thắm", "Thơm", "Thu", "Thủy", "Thúy", "Trang", "Tuyết",
    "Vân", "Xuân", "Yến", "Hậu", "Nhàn", "Hường",
]  # fmt: skip

# The people the browser test and the demo story rely on, and the names nobody else may
# carry (compared without diacritics) so that a search for them is unambiguous.
RESERVED_NAMES = {"nguyen van an", "nguyen van anh", "nguyen thi an"}

# --- texts ------------------------------------------------------------------------------
INITIATIVE_TITLES = {
    "civil": [
        "Giải pháp rút ngắn thời gian giải quyết thủ tục hành chính tại bộ phận một cửa",
        "Số hóa hồ sơ lưu trữ và tra cứu văn bản đi, đến",
        "Quy trình tiếp nhận, xử lý phản ánh, kiến nghị của người dân qua mạng",
        "Giải pháp nâng cao tỷ lệ thu ngân sách trên địa bàn",
        "Cách làm mới trong công tác hòa giải ở cơ sở",
        "Ứng dụng bản đồ số trong quản lý đất đai",
        "Mô hình dân vận khéo trong xây dựng nông thôn mới kiểu mẫu",
        "Giải pháp nâng cao chất lượng thẩm định hồ sơ khen thưởng",
        "Quy trình phối hợp kiểm tra an toàn thực phẩm",
        "Giải pháp quản lý trật tự xây dựng đô thị",
    ],
    "school": [
        "Một số biện pháp nâng cao chất lượng dạy học môn Toán",
        "Ứng dụng công nghệ thông tin trong giảng dạy môn Ngữ văn",
        "Biện pháp phát triển ngôn ngữ cho trẻ mẫu giáo qua trò chơi",
        "Giải pháp bồi dưỡng học sinh giỏi môn Tiếng Anh",
        "Xây dựng môi trường đọc thân thiện trong nhà trường",
        "Tổ chức hoạt động trải nghiệm gắn với di tích Tam Chúc - Ba Sao",
        "Biện pháp giáo dục kỹ năng sống cho học sinh tiểu học",
        "Đổi mới sinh hoạt chuyên môn theo nghiên cứu bài học",
    ],
}
RESEARCH_TITLES = [
    "Nghiên cứu phát triển du lịch tâm linh gắn với khu du lịch Tam Chúc",
    "Đánh giá hiệu quả mô hình sản xuất nông nghiệp hữu cơ tại Kim Bảng",
    "Nghiên cứu giải pháp chuyển đổi số trong quản lý hành chính cấp huyện",
    "Khảo sát, bảo tồn làng nghề truyền thống trên địa bàn",
    "Nghiên cứu cơ cấu lại ngành công nghiệp vật liệu xây dựng",
    "Giải pháp xây dựng đô thị loại IV thị trấn Quế",
]

DISCIPLINE_REASONS_DUTY = [
    "Chậm trễ trong giải quyết thủ tục hành chính",
    "Vi phạm quy định về quản lý đất đai",
    "Vi phạm quy định về quản lý tài chính, tài sản công",
    "Vi phạm quy chế chuyên môn",
    "Thiếu trách nhiệm trong thực hiện nhiệm vụ được giao",
]
DISCIPLINE_REASONS_OTHER = [
    "Vi phạm chính sách dân số - kế hoạch hóa gia đình",
    "Vi phạm quy định về văn hóa công sở",
]
