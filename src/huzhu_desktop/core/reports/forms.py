"""The official forms' header cells, exactly as in seed 002 (附件1, 附件2) and ../shared/forms."""

from __future__ import annotations

FILL_LINE = "填表单位：（盖章）        审核人：          填报人：          联系电话："
ATTACHMENT1_HEADER = (  # the seed's mixed brackets in 积分（分) and 集体活动(场) kept as they are
    "序号",
    "行政村名称",
    "社工组织名称",
    "社工人数",
    "互助养老点数量",
    "互助养老分点数量",
    "志愿者队伍人数",
    "特殊老人“一对一”结对帮扶（对）",
    "社会老人“划片式”结对帮扶（组）",
    "互助养老积分（分)",
    "集体活动(场)",
    "镇街配套和捐赠金额筹集\n（元）",
)
ATTACHMENT2_NOTE = "说明：老人类型分为低保、分散特困、失独、残疾、优抚、其他。"
ATTACHMENT2_HEADER = (
    "序号",
    "被帮扶老人姓名",
    "性别",
    "年龄",
    "电话",
    "住址",
    "子女情况\n（有无子女）",
    "居住情况\n（独居、双居）",
    "健康状况\n（自理、失能）",
    "老人类型",
    "帮扶人姓名",
    "性别",
    "年龄",
    "电话",
    "住址",
    "帮扶次数",
    "备注",
)


def attachment2_title(district: str) -> str:
    return f"{district}农村互助养老结对帮扶信息台账"


def attachment1_title(district: str) -> str:
    return f"{district}农村互助养老服务工作进展情况汇总表"
