"""The fixed lists the plans demo is built from: the province's 2020 documents and the
tasks they gave the districts, the indicator catalog, Kim Bảng's figures and its 2021
goals. Document numbers are plausible, not quoted; the figures are those of the seed
(seed-world.md) where it gives one, invented elsewhere.
"""

# --- tasks --------------------------------------------------------------------------------
# The province's 2020 documents that gave the districts tasks: (number, date, issuer,
# subject as it reads after "thực hiện"). Each gives the five tasks of `TASK_FORMS` (the
# last one only the first two), 157 in all.
DOCUMENTS_2020 = [
    ("01/CT-UBND", "2020-01-06", "UBND tỉnh Hà Nam", "nhiệm vụ thu ngân sách nhà nước năm 2020"),
    (
        "02/CT-UBND",
        "2020-01-15",
        "Chủ tịch UBND tỉnh Hà Nam",
        "công tác phòng, chống dịch bệnh viêm đường hô hấp cấp do chủng mới của vi rút Corona (COVID-19)",
    ),
    (
        "185/KH-UBND",
        "2020-01-20",
        "UBND tỉnh Hà Nam",
        "Chương trình mục tiêu quốc gia xây dựng nông thôn mới năm 2020",
    ),
    ("230/KH-UBND", "2020-01-31", "UBND tỉnh Hà Nam", "công tác cải cách hành chính năm 2020"),
    (
        "04/CT-UBND",
        "2020-02-03",
        "Chủ tịch UBND tỉnh Hà Nam",
        "công tác phòng cháy, chữa cháy và cứu nạn, cứu hộ",
    ),
    (
        "298/KH-UBND",
        "2020-02-07",
        "UBND tỉnh Hà Nam",
        "việc công bố kết quả Tổng điều tra dân số và nhà ở năm 2019",
    ),
    (
        "341/KH-UBND",
        "2020-02-12",
        "UBND tỉnh Hà Nam",
        "công tác bảo vệ môi trường, thu gom, xử lý rác thải sinh hoạt",
    ),
    (
        "05/CT-UBND",
        "2020-02-17",
        "Chủ tịch UBND tỉnh Hà Nam",
        "công tác quản lý đất đai, trật tự xây dựng",
    ),
    (
        "402/KH-UBND",
        "2020-02-21",
        "UBND tỉnh Hà Nam",
        "phong trào thi đua “Hà Nam chung sức xây dựng nông thôn mới”",
    ),
    (
        "456/KH-UBND",
        "2020-02-27",
        "UBND tỉnh Hà Nam",
        "công tác phòng, chống thiên tai và tìm kiếm cứu nạn năm 2020",
    ),
    (
        "07/CT-UBND",
        "2020-03-04",
        "Chủ tịch UBND tỉnh Hà Nam",
        "công tác tuyển chọn và gọi công dân nhập ngũ năm 2020",
    ),
    ("518/KH-UBND", "2020-03-10", "UBND tỉnh Hà Nam", "Đề án phát triển du lịch Tam Chúc – Ba Sao"),
    (
        "560/KH-UBND",
        "2020-03-16",
        "UBND tỉnh Hà Nam",
        "Chương trình bảo hiểm y tế toàn dân giai đoạn 2020-2025",
    ),
    (
        "08/CT-UBND",
        "2020-03-20",
        "Chủ tịch UBND tỉnh Hà Nam",
        "các biện pháp cấp bách phòng, chống dịch COVID-19",
    ),
    ("612/KH-UBND", "2020-03-25", "UBND tỉnh Hà Nam", "công tác giảm nghèo bền vững năm 2020"),
    (
        "655/KH-UBND",
        "2020-03-31",
        "UBND tỉnh Hà Nam",
        "chính sách hỗ trợ người dân gặp khó khăn do đại dịch COVID-19",
    ),
    (
        "701/KH-UBND",
        "2020-04-06",
        "UBND tỉnh Hà Nam",
        "công tác chuyển đổi số, xây dựng chính quyền điện tử",
    ),
    ("745/KH-UBND", "2020-04-10", "UBND tỉnh Hà Nam", "Đề án tái cơ cấu ngành nông nghiệp"),
    (
        "10/CT-UBND",
        "2020-04-15",
        "Chủ tịch UBND tỉnh Hà Nam",
        "công tác giải phóng mặt bằng các dự án trọng điểm",
    ),
    (
        "802/KH-UBND",
        "2020-04-21",
        "UBND tỉnh Hà Nam",
        "công tác phòng, chống tác hại của thuốc lá và rượu bia",
    ),
    (
        "836/KH-UBND",
        "2020-04-24",
        "UBND tỉnh Hà Nam",
        "kỳ thi tốt nghiệp trung học phổ thông năm 2020",
    ),
    (
        "11/CT-UBND",
        "2020-04-28",
        "Chủ tịch UBND tỉnh Hà Nam",
        "công tác bảo đảm an toàn giao thông",
    ),
    (
        "880/KH-UBND",
        "2020-05-05",
        "UBND tỉnh Hà Nam",
        "công tác phổ biến, giáo dục pháp luật năm 2020",
    ),
    (
        "905/KH-UBND",
        "2020-05-08",
        "UBND tỉnh Hà Nam",
        "công tác tiếp công dân, giải quyết khiếu nại, tố cáo",
    ),
    (
        "938/KH-UBND",
        "2020-05-12",
        "UBND tỉnh Hà Nam",
        "phong trào “Toàn dân đoàn kết xây dựng đời sống văn hóa”",
    ),
    (
        "12/CT-UBND",
        "2020-05-15",
        "Chủ tịch UBND tỉnh Hà Nam",
        "công tác thu hút đầu tư vào các cụm công nghiệp",
    ),
    ("976/KH-UBND", "2020-05-19", "UBND tỉnh Hà Nam", "công tác phòng, chống dịch tả lợn châu Phi"),
    (
        "1010/KH-UBND",
        "2020-05-22",
        "UBND tỉnh Hà Nam",
        "công tác bảo vệ và chăm sóc trẻ em năm 2020",
    ),
    (
        "1044/KH-UBND",
        "2020-05-26",
        "UBND tỉnh Hà Nam",
        "việc sắp xếp, tổ chức lại thôn, tổ dân phố",
    ),
    (
        "1071/KH-UBND",
        "2020-05-28",
        "UBND tỉnh Hà Nam",
        "công tác bảo đảm an ninh, trật tự phục vụ đại hội đảng bộ các cấp",
    ),
    (
        "1093/KH-UBND",
        "2020-05-29",
        "UBND tỉnh Hà Nam",
        "công tác phát triển doanh nghiệp, hỗ trợ hộ kinh doanh",
    ),
    (
        "1120/KH-UBND",
        "2020-05-30",
        "UBND tỉnh Hà Nam",
        "tổng kết công tác thi đua, khen thưởng năm 2020",
    ),
]

# (title pattern, deadline as month-day of 2020 or days after the document)
TASK_FORMS = [
    ("Xây dựng kế hoạch thực hiện {subject} trên địa bàn huyện", 20),
    ("Tổ chức tuyên truyền, phổ biến về {subject}", 45),
    ("Báo cáo sơ kết 6 tháng đầu năm việc thực hiện {subject}", "06-20"),
    ("Kiểm tra, đôn đốc các xã, thị trấn thực hiện {subject}", "10-31"),
    ("Báo cáo kết quả thực hiện {subject} năm 2020", "12-10"),
]
TASKS_2020 = 157
EVIDENCE = "Văn bản báo cáo gửi UBND tỉnh (qua Văn phòng UBND tỉnh)"

# The province's tasks to the districts early in 2021 (Kim Bảng has three still open).
DOCUMENTS_2021 = [
    ("01/CT-UBND", "2021-01-08", "UBND tỉnh Hà Nam", "nhiệm vụ thu ngân sách nhà nước năm 2021"),
    (
        "95/KH-UBND",
        "2021-01-14",
        "UBND tỉnh Hà Nam",
        "công tác bầu cử đại biểu Quốc hội khóa XV và đại biểu HĐND các cấp nhiệm kỳ 2021-2026",
    ),
    (
        "180/KH-UBND",
        "2021-01-25",
        "UBND tỉnh Hà Nam",
        "Nghị quyết Đại hội đại biểu Đảng bộ tỉnh lần thứ XX",
    ),
    (
        "233/KH-UBND",
        "2021-02-01",
        "UBND tỉnh Hà Nam",
        "Kế hoạch phát triển kinh tế - xã hội 5 năm 2021-2025",
    ),
]
TASK_FORMS_2021 = [
    ("Xây dựng kế hoạch thực hiện {subject} trên địa bàn huyện", 25),
    ("Báo cáo sơ kết 6 tháng đầu năm việc thực hiện {subject}", "06-20"),
    ("Báo cáo kết quả thực hiện {subject} năm 2021", "12-10"),
]

# Tasks Kim Bảng passed on to its communes and towns (index in DOCUMENTS_2020, form).
CASCADED = [(1, 0), (2, 4), (13, 1)]

# --- indicators ----------------------------------------------------------------------------
# (code, name, measure, direction, aggregation, decimals)
INDICATORS = [
    (
        "GTSX_CN_TTCN",
        "Giá trị sản xuất công nghiệp - tiểu thủ công nghiệp",
        "billion_vnd",
        "higher",
        "sum",
        0,
    ),
    ("GTSX_NN", "Giá trị sản xuất nông nghiệp, thủy sản", "billion_vnd", "higher", "sum", 0),
    ("THU_NSNN", "Tổng thu ngân sách nhà nước trên địa bàn", "billion_vnd", "higher", "sum", 0),
    ("VON_DTPT", "Tổng vốn đầu tư phát triển toàn xã hội", "billion_vnd", "higher", "sum", 0),
    ("XA_NTM", "Số xã đạt chuẩn nông thôn mới (lũy kế)", "count", "higher", "sum", 0),
    ("TL_HO_NGHEO", "Tỷ lệ hộ nghèo", "percent", "lower", "none", 2),
    ("TL_BHYT", "Tỷ lệ dân số tham gia bảo hiểm y tế", "percent", "higher", "none", 1),
    ("KHACH_DL", "Lượt khách du lịch", "people", "higher", "sum", 0),
]

# Kim Bảng's actuals: code → year → [(version, value, reported on)].
KB_ACTUALS = {
    # +22 % on 2019: 9,850 × 1.22 = 12,017.
    "GTSX_CN_TTCN": {
        2019: [("final", "9850", "2020-03-31")],
        2020: [
            ("estimate", "11600", "2020-10-20"),
            ("preliminary", "11980", "2021-01-06"),
            ("final", "12017", "2021-03-31"),
        ],
    },
    "GTSX_NN": {
        2019: [("final", "1215", "2020-03-31")],
        2020: [("preliminary", "1241", "2021-01-06"), ("final", "1248", "2021-03-31")],
    },
    # 1,386 billion: 235 % of the province's 590, 202 % of the local 686.
    "THU_NSNN": {
        2019: [("final", "1102", "2020-04-15")],
        2020: [
            ("estimate", "1250", "2020-10-20"),
            ("preliminary", "1381", "2021-01-06"),
            ("final", "1386", "2021-04-15"),
        ],
    },
    "VON_DTPT": {
        2019: [("final", "6420", "2020-03-31")],
        2020: [("preliminary", "7080", "2021-01-06"), ("final", "7150", "2021-03-31")],
    },
    "XA_NTM": {
        2019: [("final", "14", "2020-01-10")],
        2020: [("final", "16", "2020-12-28")],
    },
    "TL_HO_NGHEO": {
        2019: [("final", "2.35", "2020-01-15")],
        2020: [("final", "1.87", "2021-01-08")],
    },
    "TL_BHYT": {
        2019: [("final", "88.6", "2020-01-15")],
        2020: [("final", "91.2", "2021-01-08")],
    },
    # Tam Chúc closed for months in 2020: a fall, computed as such.
    "KHACH_DL": {
        2019: [("final", "1850000", "2020-01-15")],
        2020: [("final", "1120000", "2021-01-08")],
    },
}

# Kim Bảng's reference values: (code, year, kind, value, document number, date, issuer).
KB_REFERENCES = [
    (
        "THU_NSNN",
        2020,
        "province_estimate",
        "590",
        "3102/QĐ-UBND",
        "2019-12-12",
        "UBND tỉnh Hà Nam",
    ),
    ("THU_NSNN", 2020, "local_estimate", "686", "45/NQ-HĐND", "2019-12-20", "HĐND huyện Kim Bảng"),
    (
        "GTSX_CN_TTCN",
        2020,
        "council_target",
        "11500",
        "44/NQ-HĐND",
        "2019-12-20",
        "HĐND huyện Kim Bảng",
    ),
    ("VON_DTPT", 2020, "council_target", "6900", "44/NQ-HĐND", "2019-12-20", "HĐND huyện Kim Bảng"),
    ("XA_NTM", 2020, "council_target", "16", "44/NQ-HĐND", "2019-12-20", "HĐND huyện Kim Bảng"),
    (
        "TL_HO_NGHEO",
        2020,
        "council_target",
        "1.95",
        "44/NQ-HĐND",
        "2019-12-20",
        "HĐND huyện Kim Bảng",
    ),
    ("TL_BHYT", 2020, "council_target", "90.5", "44/NQ-HĐND", "2019-12-20", "HĐND huyện Kim Bảng"),
    (
        "KHACH_DL",
        2020,
        "council_target",
        "2000000",
        "44/NQ-HĐND",
        "2019-12-20",
        "HĐND huyện Kim Bảng",
    ),
    # The 2021 targets, set before the conference of 12/01/2021.
    (
        "THU_NSNN",
        2021,
        "province_estimate",
        "640",
        "2987/QĐ-UBND",
        "2020-12-10",
        "UBND tỉnh Hà Nam",
    ),
    ("THU_NSNN", 2021, "local_estimate", "735", "62/NQ-HĐND", "2020-12-22", "HĐND huyện Kim Bảng"),
    (
        "GTSX_CN_TTCN",
        2021,
        "council_target",
        "13700",
        "61/NQ-HĐND",
        "2020-12-22",
        "HĐND huyện Kim Bảng",
    ),
    ("XA_NTM", 2021, "council_target", "18", "61/NQ-HĐND", "2020-12-22", "HĐND huyện Kim Bảng"),
    (
        "TL_HO_NGHEO",
        2021,
        "council_target",
        "1.5",
        "61/NQ-HĐND",
        "2020-12-22",
        "HĐND huyện Kim Bảng",
    ),
]

# The other districts' 2020 budget revenue, so that the province's figure sums them.
OTHER_REVENUE_2020 = {"PL": "2950", "DT": "1740", "TL": "1120", "BL": "385", "LN": "520"}

# Kim Bảng's goals for 2021: (title, before year or None).
KB_GOALS_2021 = [
    (
        "Tổ chức thực hiện Nghị quyết Đại hội đại biểu Đảng bộ tỉnh lần thứ XX và Nghị quyết "
        "Đại hội đại biểu Đảng bộ huyện nhiệm kỳ 2020-2025",
        None,
    ),
    ("Triển khai Kế hoạch phát triển kinh tế - xã hội 5 năm 2021-2025", None),
    (
        "Nhân rộng các mô hình sản xuất nông nghiệp hiệu quả; xây dựng xã nông thôn mới kiểu mẫu",
        None,
    ),
    ("Hoàn thành quy hoạch phân khu Khu du lịch quốc gia Tam Chúc", None),
    ("Hoàn thành các tiêu chí đô thị loại IV", 2023),
    ("Xây dựng huyện Kim Bảng trở thành thị xã", 2025),
]
GOALS_DOCUMENT = ("61/NQ-HĐND", "2020-12-22")
