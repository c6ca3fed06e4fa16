// segment_abbrev.cpp: the abbreviation lists. They are hand-written from common usage (titles,
// months, units, Latin forms, legal and bibliographic references) and kept short: an entry here
// suppresses a sentence break, so a word that often ends sentences ("etc", "usw") is deliberately
// left out — the splitter then breaks only when a capitalised word follows, which is what readers
// expect after a list.
#include "translate/segment_abbrev.h"

#include <map>
#include <set>

namespace hymt {

namespace {

using Set = std::set<std::string, std::less<>>;

struct Lists {
  Set always;
  Set before_number;
};

const std::map<std::string, Lists, std::less<>>& tables() {
  static const std::map<std::string, Lists, std::less<>> t = {
      {"en",
       {{"Mr", "Mrs", "Ms", "Mx", "Dr", "Prof", "Rev", "Hon", "St", "Sr", "Jr", "Mt", "Ft", "Gen",
         "Col", "Capt", "Lt", "Sgt", "Gov", "Sen", "Rep", "Pres", "Supt", "Messrs", "Mmes", "e.g",
         "i.e", "cf", "vs", "viz", "approx", "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep",
         "Sept", "Oct", "Nov", "Dec", "Inc", "Ltd", "Co", "Corp", "Bros", "Ave", "Blvd", "Rd",
         "Fig", "fig", "Figs", "Eq", "Eqs", "Vol", "vol", "Ch", "ch", "ed", "eds", "est", "dept",
         "Dept", "Univ", "Assn", "a.m", "p.m", "Ph.D", "B.A", "M.A", "U.S", "U.K", "Jos", "Wm"},
        {"No", "no", "Nos", "nos", "Art", "art", "pp", "p", "Nr", "para", "sec", "Sec", "op"}}},
      {"fr",
       {{"M", "MM", "Mme", "Mmes", "Mlle", "Mlles", "Dr", "Pr", "Me", "Mgr", "St", "Ste", "av",
         "apr", "J.-C", "cf", "env", "ex", "p.ex", "c.-à-d", "janv", "févr", "avr", "juil",
         "sept", "oct", "nov", "déc", "vol", "éd", "chap", "fig", "boul", "bd", "Cie", "Sté", "hab",
         "min", "max", "réf", "tél", "vs"},
        {"n", "no", "No", "p", "pp", "art", "Art", "t"}}},
      {"de",
       {{"Hr", "Hrn", "Fr", "Dr", "Prof", "Dipl", "Ing", "St", "bzw", "ca", "z.B", "z.T", "d.h",
         "u.a", "o.ä", "u.U", "v.a", "s.o", "s.u", "i.d.R", "z.Zt", "evtl", "ggf", "inkl", "exkl",
         "zzgl", "vgl", "sog", "Jh", "Jhd", "Jan", "Feb", "Apr", "Aug", "Sep", "Sept", "Okt", "Nov",
         "Dez", "Mio", "Mrd", "Abb", "Bd", "Hrsg", "geb", "gest", "verh", "Str", "Tel", "Nr",
         "bspw", "insb", "allg", "bes", "gem", "lt", "u.v.m", "v.Chr", "n.Chr"},
        {"Nr", "Art", "Abs", "S", "Bd", "Kap", "Ziff"}}},
      {"es",
       {{"Sr", "Sra", "Srta", "Sres", "Dr", "Dra", "Lic", "Ing", "Prof", "Ud", "Uds", "Vd", "Vds",
         "D", "Dña", "Excmo", "Ilmo", "Sto", "Sta", "p.ej", "aprox", "ej", "vol", "cap",
         "fig", "Avda", "Av", "Cía", "ene", "feb", "abr", "jun", "jul", "ago", "sept", "oct", "nov",
         "dic", "a.C", "d.C", "EE.UU", "pág", "págs", "tel", "núm"},
        {"n", "nº", "núm", "No", "p", "pp", "art", "Art", "pág"}}},
      {"pt",
       {{"Sr", "Sra", "Srta", "Dr", "Dra", "Prof", "Profa", "Eng", "Exmo", "Exma", "Sto", "Sta",
         "Av", "p.ex", "aprox", "vol", "cap", "fig", "Cia", "Ltda", "jan", "fev", "abr", "jun",
         "jul", "ago", "set", "out", "nov", "dez", "a.C", "d.C", "tel", "pág"},
        {"n", "nº", "No", "p", "pp", "art", "Art", "pág"}}},
      {"it",
       {{"Sig", "Sigg", "Sig.ra", "Sig.na", "Dott", "Dott.ssa", "Prof", "Prof.ssa", "Ing", "Avv",
         "Arch", "Geom", "Rag", "On", "Mons", "S", "es", "ca", "cfr", "pag", "vol", "cap",
         "fig", "gen", "feb", "mar", "apr", "mag", "giu", "lug", "ago", "sett", "ott", "nov", "dic",
         "a.C", "d.C", "tel", "p.es"},
        {"n", "N", "p", "pp", "art", "Art"}}},
      {"nl",
       {{"dhr", "mevr", "mw", "Dhr", "Mevr", "Mw", "dr", "Dr", "drs", "Drs", "ir", "Ir", "mr",
         "Mr", "prof", "Prof", "ing", "Ing", "St", "bijv", "bv", "d.w.z", "o.a", "m.b.t", "i.p.v",
         "t.a.v", "z.g.a", "ca", "resp", "evt", "incl", "excl", "vgl", "jan", "feb", "apr", "aug",
         "sep", "sept", "okt", "nov", "dec", "blz", "tel", "n.Chr", "v.Chr"},
        {"nr", "Nr", "art", "Art", "p", "pp", "blz"}}},
      {"pl",
       {{"p", "pan", "pani", "dr", "Dr", "prof", "Prof", "mgr", "Mgr", "inż", "hab", "doc", "ks",
         "Ks", "św", "Św", "im", "ul", "al", "pl", "os", "tzw", "np", "m.in", "tj", "tzn", "ok",
         "godz", "r", "w", "wg", "zob", "por", "jw", "ww", "ang", "łac", "niem", "fr",
         "sty", "lut", "kwi", "maj", "cze", "lip", "sie", "wrz", "paź", "lis", "gru", "n.e", "p.n.e",
         "tel", "woj", "pow", "gm"},
        {"nr", "Nr", "art", "Art", "s", "str", "ust", "pkt", "poz", "t", "rozdz"}}},
      {"cs",
       {{"p", "pí", "sl", "Ing", "Mgr", "Bc", "MUDr", "JUDr", "PhDr", "RNDr", "doc", "prof",
         "Prof", "Dr", "dr", "ing", "tzv", "např", "tj", "resp", "popř", "mj",
         "cca", "str", "ul", "nám", "tel", "hod", "min", "max", "př.n.l", "n.l", "r", "roč", "sv",
         "vč", "zvl", "angl", "lat", "něm"},
        {"č", "čl", "odst", "s", "str", "písm", "tab", "obr"}}},
      {"ru",
       {{"г", "гг", "т.е", "т.к", "т.н", "т.о", "т.п", "и.о", "н.э", "до н.э", "др", "пр",
         "см", "ср", "напр", "тыс", "млн", "млрд", "руб", "коп", "ул", "пер", "просп", "пл", "д",
         "кв", "обл", "р", "оз", "им", "акад", "проф", "доц", "ген", "гос", "тов", "г-н", "г-жа",
         "янв", "февр", "фев", "апр", "авг", "сент", "окт", "нояб", "дек", "св", "ок", "англ",
         "лат", "нем", "франц", "рис", "табл", "гл", "изд", "М", "СПб"},
        {"№", "ст", "п", "пп", "с", "стр", "ч", "т"}}},
      {"uk",
       {{"р", "рр", "т.зв", "т.б", "н.е", "до н.е", "ін", "пр", "див", "напр", "тис",
         "млн", "млрд", "грн", "коп", "вул", "просп", "пл", "буд", "кв", "обл", "м", "с", "смт",
         "ім", "акад", "проф", "доц", "пан", "пані", "св", "січ", "лют", "бер", "квіт", "трав",
         "черв", "лип", "серп", "вер", "жовт", "лист", "груд", "англ", "лат", "рис", "табл", "гл",
         "вид"},
        {"№", "ст", "п", "пп", "с", "ч", "т"}}},
      {"vi", {{"TP", "Tp", "TS", "ThS", "GS", "PGS", "BS", "KS", "Th", "St", "P", "Q", "TT"}, {"Số", "số"}}},
      {"id", {{"Bpk", "Yth", "Dr", "Prof", "Ir", "Drs", "dr", "Jl", "Kab", "Kec", "Tn", "Ny", "Sdr", "H", "Hj", "a.n", "s.d"}, {"No", "no", "Hal", "hlm", "Ps"}}},
      {"ms", {{"Dr", "Prof", "Tn", "Pn", "Cik", "En", "Dato", "Hj", "Jln", "Bhd", "Sdn", "s.k"}, {"No", "no", "Hal", "hlm"}}},
      {"tl", {{"G", "Gng", "Bb", "Dr", "Prop", "Sen", "Kgg", "Atty", "Engr", "Sta", "Sto", "St"}, {"Blg", "blg", "Hal", "No"}}},
      {"tr", {{"Dr", "Prof", "Doç", "Yrd", "Av", "Müh", "Sn", "Bkz", "bkz", "vb", "vs", "vd", "yy", "ö", "örn", "Cad", "Sok", "Mah", "Apt", "Ltd", "Şti", "Alb", "Yzb", "Org", "Gen", "Tuğg"}, {"No", "no", "Nr", "s", "S", "Md"}}},
      {"hi", {{"डॉ", "प्रो", "श्री", "श्रीमती", "सु", "कु", "मि", "ई", "ई.पू"}, {}}},
      {"mr", {{"डॉ", "प्रा", "श्री", "श्रीमती", "कु", "सौ", "चि", "इ.स", "इ.स.पू"}, {}}},
  };
  return t;
}

// Shared across languages: titles and Latin forms that appear in many scripts' running text.
const Set& shared_always() {
  static const Set s = {"Dr", "Prof", "St", "Mr", "Mrs", "Ms", "e.g", "i.e", "cf", "vs", "Ph.D"};
  return s;
}

}  // namespace

AbbrevKind abbreviation_kind(std::string_view lang, std::string_view word) {
  if (word.empty()) return AbbrevKind::kNone;
  const auto& t = tables();
  auto it = t.find(lang);
  if (it == t.end()) it = t.find("en");
  if (it->second.before_number.count(word)) return AbbrevKind::kBeforeNumber;
  if (it->second.always.count(word) || shared_always().count(word)) return AbbrevKind::kAlways;
  return AbbrevKind::kNone;
}

}  // namespace hymt
