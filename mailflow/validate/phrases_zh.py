"""What each finding says in Chinese; the same keys and placeholders as
``phrases_en``. Customer texts are written as a sales clerk would write them:
polite, short, one question each."""

from __future__ import annotations

from mailflow.validate.phrase import Phrase

PHRASES: dict[str, Phrase] = {
    "no_lines": Phrase(
        "我们在您的邮件中没有找到具体产品。请告知所需产品的编码和数量。",
        "邮件中未识别到订单行。",
    ),
    "unknown_product": Phrase(
        "我们的产品目录中没有找到“{description}”。请问您需要的是{options}吗？",
        "第{line_no}行：“{description}”与目录中的产品不匹配；最接近的是{options}。",
        "{options}",
    ),
    "unknown_product.none": Phrase(
        "我们的产品目录中没有找到“{description}”。请提供产品编码，或再详细描述一下。",
        "第{line_no}行：“{description}”与目录中的产品不匹配，也没有相近的产品。",
    ),
    "ambiguous_product": Phrase(
        "“{description}”对应我们的多个产品：{options}。请问您需要哪一种？",
        "第{line_no}行：“{description}”同样符合{options}。",
        "{options}",
    ),
    "inactive_product": Phrase(
        "{product}已停产。我们可以提供{options}代替，可以吗？",
        "第{line_no}行：{product}已停产；同系列在售产品：{options}。",
        "{options}",
    ),
    "inactive_product.none": Phrase(
        "{product}已停产，目前没有直接替代的产品。是否从本订单中删除此项？",
        "第{line_no}行：{product}已停产，同系列没有在售产品。",
    ),
    "invalid_quantity": Phrase(
        "请问“{description}”需要多少？我们读到的数量是{quantity}。",
        "第{line_no}行：“{description}”的数量{quantity}无效。",
    ),
    "invalid_quantity.unreadable": Phrase(
        "请问“{description}”需要多少？我们没能看清数量。",
        "第{line_no}行：“{description}”没有可读的数量。",
    ),
    "below_moq": Phrase(
        "{product}的最小起订量为{moq}，您订购的是{asked}。是否按{moq}发货？",
        "第{line_no}行：{product}订购{asked}，低于最小起订量{moq}。",
        "{moq}",
    ),
    "pack_multiple": Phrase(
        "{product}按{unit}销售，每{unit}{per}；{written}可装满{whole}，还剩零头。"
        "是否改为{suggested}（{suggested_items}）？",
        "第{line_no}行：{product}订购{written}，不是整包（每包{per}）；建议向上取整为{suggested}。",
        "{suggested}",
    ),
    "out_of_stock": Phrase(
        "{product}目前缺货，全部{asked}可于{follow}发货。请问可以吗？",
        "第{line_no}行：{product}无库存；{asked}可于{follow}发货（按交货期）。",
        "{asked}：{follow}",
    ),
    "insufficient_stock": Phrase(
        "{product}现有库存{available}，其余{short}可于{follow}发货。"
        "是否先发{available}，余下的到货后再发？",
        "第{line_no}行：{product}订购{asked}，库存{available}；{short}可于{follow}补发。",
        "现发{available}，{short}：{follow}",
    ),
    "price_mismatch": Phrase(
        "您给出的{product}单价为每{unit}{stated}，而您的价格为{price}。是否按{price}执行？",
        "第{line_no}行：客户给出的{product}单价为{stated}，其价格等级的单价为{price}。",
        "{price}",
    ),
    "promotion_applied": Phrase(
        "优惠：{product}享受{percent}折扣。",
        "第{line_no}行：促销{promotion}（{description}）给予{product}{percent}折扣。",
    ),
    "date_in_past": Phrase(
        "您要求的交货日期{requested}已经过去。我们最早可于{earliest}送达，可以吗？",
        "要求交货日期{requested}已过；最早可行日期为{earliest}。",
        "{earliest}",
    ),
    "date_too_soon": Phrase(
        "我们无法在{requested}前送达，最早可于{earliest}送达。请问可以吗？",
        "要求交货日期{requested}早于最早可行日期{earliest}。",
        "{earliest}",
    ),
    "date_non_working_day": Phrase(
        "{requested}是{country}的非工作日，无法送货。是否改为{suggested}送达？",
        "要求交货日期{requested}是{country}的非工作日；建议{suggested}。",
        "{suggested}",
    ),
    "date_non_working_day.nocountry": Phrase(
        "{requested}是非工作日，无法送货。是否改为{suggested}送达？",
        "要求交货日期{requested}是非工作日；建议{suggested}。",
        "{suggested}",
    ),
    "date_missing": Phrase(
        "您没有注明交货日期，我们计划于{planned}送达。",
        "未给出交货日期；计划{planned}。",
        "{planned}",
    ),
    "unknown_customer": Phrase(
        "",
        "发件人{sender}不是已知客户：确认前请核对或建立客户账户（按标准价格显示）。",
    ),
    "credit_hold": Phrase(
        "",
        "{customer}的信用状态为“{status}”，付款条件{terms}：不得自动确认，请与财务核实。",
    ),
    "address_incomplete": Phrase(
        "您提供的收货地址（{address}）缺少{missing}。请发来完整地址。",
        "所述收货地址缺少{missing}：{address}。",
    ),
    "address_invalid_postcode": Phrase(
        "邮政编码“{postcode}”似乎不符合{country}的格式，请核对。",
        "邮政编码{postcode}不符合{country}的格式。",
    ),
    "address_changed": Phrase(
        "我们将送货至您提供的地址：{address}。",
        "收货地址与客户默认地址不同：{address}（默认：{default}）。",
    ),
    "duplicate_order.po": Phrase(
        "",
        "该客户的采购单号{po}已于{when}收到过{reference}：是否重复？",
    ),
    "duplicate_order.lines": Phrase(
        "",
        "{sender}在{minutes}分钟前发来过相同的订单行{reference}：是否重复？",
    ),
    "approval_required": Phrase(
        "",
        "订单总额{total}超过审批限额{limit}：需主管审批。",
    ),
    "sender_unverified": Phrase(
        "",
        "发件人验证失败（{results}）：请先电话联系客户核实，再行确认。",
    ),
    "sender_unverified.missing": Phrase(
        "",
        "没有来自可信服务器的Authentication-Results邮件头：发件人未经验证。",
    ),
}
