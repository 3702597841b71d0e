/// The WHO standard pinyin names, one array per channel in point order, kept
/// apart from the parsing code so the table can be audited against the WHO list.
enum AcupointNames {
    static func names(of meridian: Meridian) -> [String] {
        switch meridian {
        case .LU:
            ["Zhongfu", "Yunmen", "Tianfu", "Xiabai", "Chize", "Kongzui", "Lieque", "Jingqu", "Taiyuan", "Yuji",
             "Shaoshang"]
        case .LI:
            ["Shangyang", "Erjian", "Sanjian", "Hegu", "Yangxi", "Pianli", "Wenliu", "Xialian", "Shanglian", "Shousanli",
             "Quchi", "Zhouliao", "Shouwuli", "Binao", "Jianyu", "Jugu", "Tianding", "Futu", "Kouheliao", "Yingxiang"]
        case .ST:
            ["Chengqi", "Sibai", "Juliao", "Dicang", "Daying", "Jiache", "Xiaguan", "Touwei", "Renying", "Shuitu",
             "Qishe", "Quepen", "Qihu", "Kufang", "Wuyi", "Yingchuang", "Ruzhong", "Rugen", "Burong", "Chengman",
             "Liangmen", "Guanmen", "Taiyi", "Huaroumen", "Tianshu", "Wailing", "Daju", "Shuidao", "Guilai", "Qichong",
             "Biguan", "Futu", "Yinshi", "Liangqiu", "Dubi", "Zusanli", "Shangjuxu", "Tiaokou", "Xiajuxu", "Fenglong",
             "Jiexi", "Chongyang", "Xiangu", "Neiting", "Lidui"]
        case .SP:
            ["Yinbai", "Dadu", "Taibai", "Gongsun", "Shangqiu", "Sanyinjiao", "Lougu", "Diji", "Yinlingquan", "Xuehai",
             "Jimen", "Chongmen", "Fushe", "Fujie", "Daheng", "Fuai", "Shidou", "Tianxi", "Xiongxiang", "Zhourong",
             "Dabao"]
        case .HT:
            ["Jiquan", "Qingling", "Shaohai", "Lingdao", "Tongli", "Yinxi", "Shenmen", "Shaofu", "Shaochong"]
        case .SI:
            ["Shaoze", "Qiangu", "Houxi", "Wangu", "Yanggu", "Yanglao", "Zhizheng", "Xiaohai", "Jianzhen", "Naoshu",
             "Tianzong", "Bingfeng", "Quyuan", "Jianwaishu", "Jianzhongshu", "Tianchuang", "Tianrong", "Quanliao",
             "Tinggong"]
        case .BL:
            ["Jingming", "Cuanzhu", "Meichong", "Qucha", "Wuchu", "Chengguang", "Tongtian", "Luoque", "Yuzhen", "Tianzhu",
             "Dazhu", "Fengmen", "Feishu", "Jueyinshu", "Xinshu", "Dushu", "Geshu", "Ganshu", "Danshu", "Pishu",
             "Weishu", "Sanjiaoshu", "Shenshu", "Qihaishu", "Dachangshu", "Guanyuanshu", "Xiaochangshu", "Pangguangshu",
             "Zhonglushu", "Baihuanshu", "Shangliao", "Ciliao", "Zhongliao", "Xialiao", "Huiyang", "Chengfu", "Yinmen",
             "Fuxi", "Weiyang", "Weizhong", "Fufen", "Pohu", "Gaohuang", "Shentang", "Yixi", "Geguan", "Hunmen",
             "Yanggang", "Yishe", "Weicang", "Huangmen", "Zhishi", "Baohuang", "Zhibian", "Heyang", "Chengjin",
             "Chengshan", "Feiyang", "Fuyang", "Kunlun", "Pucan", "Shenmai", "Jinmen", "Jinggu", "Shugu", "Zutonggu",
             "Zhiyin"]
        case .KI:
            ["Yongquan", "Rangu", "Taixi", "Dazhong", "Shuiquan", "Zhaohai", "Fuliu", "Jiaoxin", "Zhubin", "Yingu",
             "Henggu", "Dahe", "Qixue", "Siman", "Zhongzhu", "Huangshu", "Shangqu", "Shiguan", "Yindu", "Futonggu",
             "Youmen", "Bulang", "Shenfeng", "Lingxu", "Shencang", "Yuzhong", "Shufu"]
        case .PC:
            ["Tianchi", "Tianquan", "Quze", "Ximen", "Jianshi", "Neiguan", "Daling", "Laogong", "Zhongchong"]
        case .TE:
            ["Guanchong", "Yemen", "Zhongzhu", "Yangchi", "Waiguan", "Zhigou", "Huizong", "Sanyangluo", "Sidu",
             "Tianjing", "Qinglengyuan", "Xiaoluo", "Naohui", "Jianliao", "Tianliao", "Tianyou", "Yifeng", "Chimai",
             "Luxi", "Jiaosun", "Ermen", "Erheliao", "Sizhukong"]
        case .GB:
            ["Tongziliao", "Tinghui", "Shangguan", "Hanyan", "Xuanlu", "Xuanli", "Qubin", "Shuaigu", "Tianchong",
             "Fubai", "Touqiaoyin", "Wangu", "Benshen", "Yangbai", "Toulinqi", "Muchuang", "Zhengying", "Chengling",
             "Naokong", "Fengchi", "Jianjing", "Yuanye", "Zhejin", "Riyue", "Jingmen", "Daimai", "Wushu", "Weidao",
             "Juliao", "Huantiao", "Fengshi", "Zhongdu", "Xiyangguan", "Yanglingquan", "Yangjiao", "Waiqiu",
             "Guangming", "Yangfu", "Xuanzhong", "Qiuxu", "Zulinqi", "Diwuhui", "Xiaxi", "Zuqiaoyin"]
        case .LR:
            ["Dadun", "Xingjian", "Taichong", "Zhongfeng", "Ligou", "Zhongdu", "Xiguan", "Ququan", "Yinbao", "Zuwuli",
             "Yinlian", "Jimai", "Zhangmen", "Qimen"]
        case .GV:
            ["Changqiang", "Yaoshu", "Yaoyangguan", "Mingmen", "Xuanshu", "Jizhong", "Zhongshu", "Jinsuo", "Zhiyang",
             "Lingtai", "Shendao", "Shenzhu", "Taodao", "Dazhui", "Yamen", "Fengfu", "Naohu", "Qiangjian", "Houding",
             "Baihui", "Qianding", "Xinhui", "Shangxing", "Shenting", "Suliao", "Shuigou", "Duiduan", "Yinjiao"]
        case .CV:
            ["Huiyin", "Qugu", "Zhongji", "Guanyuan", "Shimen", "Qihai", "Yinjiao", "Shenque", "Shuifen", "Xiawan",
             "Jianli", "Zhongwan", "Shangwan", "Juque", "Jiuwei", "Zhongting", "Danzhong", "Yutang", "Zigong", "Huagai",
             "Xuanji", "Tiantu", "Lianquan", "Chengjiang"]
        // WHO Standard Acupuncture Point Locations in the Western Pacific Region (2008), extra points.
        case .EXHN:
            ["Sishencong", "Dangyang", "Yintang", "Yuyao", "Taiyang", "Erjian", "Qiuhou", "Shangyingxiang",
             "Neiyingxiang", "Juquan", "Haiquan", "Jinjin", "Yuye", "Yiming", "Jingbailao"]
        case .EXCA:
            ["Zigong"]
        case .EXB:
            ["Dingchuan", "Jiaji", "Weiwanxiashu", "Pigen", "Xiajishu", "Yaoyi", "Yaoyan", "Shiqizhui", "Yaoqi"]
        case .EXUE:
            ["Zhoujian", "Erbai", "Zhongquan", "Zhongkui", "Dagukong", "Xiaogukong", "Yaotongdian", "Wailaogong",
             "Baxie", "Sifeng", "Shixuan"]
        case .EXLE:
            ["Kuangu", "Heding", "Baichongwo", "Neixiyan", "Xiyan", "Dannang", "Lanwei", "Neihuaijian", "Waihuaijian",
             "Bafeng", "Duyin", "Qiduan"]
        // The NADA protocol's five ear points, in the order the protocol places them.
        case .NADA:
            ["Sympathetic", "Shen Men", "Kidney", "Liver", "Lung"]
        }
    }
}
