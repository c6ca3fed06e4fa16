// languages.cpp: the language table. Codes and names are those of the HY-MT READMEs (spec §7.4);
// FLORES codes follow the FLORES-200 file names in shared/data/flores200-devtest.
#include "translate/languages.h"

#include <algorithm>
#include <cctype>

namespace hymt {

const std::vector<Language>& hy_languages() {
  static const std::vector<Language> langs = {
      {"zh", "zho_Hans", "Chinese", "中文", {"zho", "chi", "cmn", "zh-cn", "zh-hans", "chinese", "simplified chinese", "mandarin"}},
      {"en", "eng_Latn", "English", "英语", {"eng", "english"}},
      {"fr", "fra_Latn", "French", "法语", {"fra", "fre", "french", "français"}},
      {"pt", "por_Latn", "Portuguese", "葡萄牙语", {"por", "portuguese", "pt-br", "pt-pt"}},
      {"es", "spa_Latn", "Spanish", "西班牙语", {"spa", "spanish", "español"}},
      {"ja", "jpn_Jpan", "Japanese", "日语", {"jpn", "japanese", "jp"}},
      {"tr", "tur_Latn", "Turkish", "土耳其语", {"tur", "turkish"}},
      {"ru", "rus_Cyrl", "Russian", "俄语", {"rus", "russian"}},
      {"ar", "arb_Arab", "Arabic", "阿拉伯语", {"ara", "arb", "arabic"}},
      {"ko", "kor_Hang", "Korean", "韩语", {"kor", "korean"}},
      {"th", "tha_Thai", "Thai", "泰语", {"tha", "thai"}},
      {"it", "ita_Latn", "Italian", "意大利语", {"ita", "italian"}},
      {"de", "deu_Latn", "German", "德语", {"deu", "ger", "german", "deutsch"}},
      {"vi", "vie_Latn", "Vietnamese", "越南语", {"vie", "vietnamese"}},
      {"ms", "zsm_Latn", "Malay", "马来语", {"msa", "may", "zsm", "malay"}},
      {"id", "ind_Latn", "Indonesian", "印尼语", {"ind", "indonesian"}},
      {"tl", "tgl_Latn", "Filipino", "菲律宾语", {"tgl", "fil", "filipino", "tagalog"}},
      {"hi", "hin_Deva", "Hindi", "印地语", {"hin", "hindi"}},
      {"zh-Hant", "zho_Hant", "Traditional Chinese", "繁体中文", {"zh-tw", "zh-hk", "zh_hant", "cht", "traditional chinese"}},
      {"pl", "pol_Latn", "Polish", "波兰语", {"pol", "polish"}},
      {"cs", "ces_Latn", "Czech", "捷克语", {"ces", "cze", "czech"}},
      {"nl", "nld_Latn", "Dutch", "荷兰语", {"nld", "dut", "dutch"}},
      {"km", "khm_Khmr", "Khmer", "高棉语", {"khm", "khmer"}},
      {"my", "mya_Mymr", "Burmese", "缅甸语", {"mya", "bur", "burmese", "myanmar"}},
      {"fa", "pes_Arab", "Persian", "波斯语", {"fas", "per", "pes", "persian", "farsi"}},
      {"gu", "guj_Gujr", "Gujarati", "古吉拉特语", {"guj", "gujarati"}},
      {"ur", "urd_Arab", "Urdu", "乌尔都语", {"urd", "urdu"}},
      {"te", "tel_Telu", "Telugu", "泰卢固语", {"tel", "telugu"}},
      {"mr", "mar_Deva", "Marathi", "马拉地语", {"mar", "marathi"}},
      {"he", "heb_Hebr", "Hebrew", "希伯来语", {"heb", "hebrew", "iw"}},
      {"bn", "ben_Beng", "Bengali", "孟加拉语", {"ben", "bengali", "bangla"}},
      {"ta", "tam_Taml", "Tamil", "泰米尔语", {"tam", "tamil"}},
      {"uk", "ukr_Cyrl", "Ukrainian", "乌克兰语", {"ukr", "ukrainian"}},
      {"bo", "bod_Tibt", "Tibetan", "藏语", {"bod", "tib", "tibetan"}},
      {"kk", "kaz_Cyrl", "Kazakh", "哈萨克语", {"kaz", "kazakh"}},
      {"mn", "khk_Cyrl", "Mongolian", "蒙古语", {"mon", "khk", "mongolian"}},
      {"ug", "uig_Arab", "Uyghur", "维吾尔语", {"uig", "uyghur", "uighur"}},
      {"yue", "yue_Hant", "Cantonese", "粤语", {"cantonese", "zh-yue"}},
  };
  return langs;
}

namespace {
std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  std::replace(s.begin(), s.end(), '_', '-');
  return s;
}
}  // namespace

const Language* find_language(const std::string& name) {
  const std::string n = lower(name);
  if (n.empty()) return nullptr;
  for (const Language& l : hy_languages()) {
    if (n == lower(l.code) || n == lower(l.flores) || n == lower(l.english) || name == l.chinese) return &l;
    for (const std::string& a : l.aliases)
      if (n == lower(a)) return &l;
  }
  return nullptr;
}

std::string language_code_list() {
  std::string s;
  for (const Language& l : hy_languages()) s += (s.empty() ? "" : ", ") + l.code;
  return s;
}

}  // namespace hymt
