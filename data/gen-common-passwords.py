#!/usr/bin/env python3
"""Builds data/common-passwords.txt, the blocklist crypto::PasswordPolicy loads.

Deterministic: the same inputs give the same file byte for byte.

Inputs (Debian packages, fetched with `apt-get download john-data wamerican` and unpacked
with `dpkg-deb -x`, or installed):
  --john  .../usr/share/john/password.lst          (john-data 1.9.0-2; public domain)
  --dict  .../usr/share/dict/american-english      (wamerican 2020.12.07-2; SCOWL notice)

Output sections, in order, deduplicated (first occurrence wins), all lowercase:
  1. every entry of John the Ripper's password.lst (frequency order, as published);
  2. common phrases, keyboard walks, digit runs and service-specific words written for this
     project, plus systematic variants of the most common base words (digit and symbol
     suffixes, years 1960-2030, two-digit suffixes, doubled words, l33t spellings);
  3. calendar dates as mmddyyyy and ddmmyyyy, 1950-2015;
  4. dictionary words and names of 8 or more letters from SCOWL (wamerican).
Generated entries (2-4) shorter than 8 characters are left out: PasswordPolicy never lets a
password that short through, so they could never match.

Usage: python3 data/gen-common-passwords.py --john PATH --dict PATH > data/common-passwords.txt
"""

import argparse
import datetime
import sys

MIN_LEN = 8  # the shortest password PasswordPolicy accepts (with MFA)
MAX_LEN = 256

# Words people build passwords from that password.lst (mostly 1990s Unix) under-represents:
# sites and brands, sports teams, pop culture, and words from this service's own field
# (NIST SP 800-63B asks for context-specific words such as the service's name).
EXTRA_WORDS = """
soundcheck soundcheckapp sound check casemanager casemanagement counselor counseling therapist
therapy provider supervisor patient member client referral doctor nurse hospital clinic
medicaid medicare insurance healthcare health wellness mentalhealth selfcare recovery sober
sobriety serenity gratitude blessed grateful hope faith strength courage healing support
password passw0rd p@ssw0rd p@ssword pa$$word pa55word welcome admin administrator root toor
login guest user default secret test testing demo changeme letmein trustno1 iloveyou
whatever qwerty qwertyuiop azerty qwertz dragon monkey shadow master sunshine princess
football baseball soccer hockey basketball superman batman starwars pokemon pikachu
minecraft fortnite roblox naruto google facebook linkedin myspace twitter instagram tiktok
snapchat youtube yahoo hotmail gmail outlook apple iphone samsung android microsoft windows
linux netflix spotify amazon paypal bitcoin liverpool arsenal chelsea manchester barcelona
realmadrid juventus cowboys steelers yankees lakers eagles patriots packers raiders redsox
metallica nirvana blink slipknot eminem beyonce rihanna jesus christ lord god angel
babygirl babyboy lovely loveme lover cutie sweetheart sweetie honey sugar buttercup
flower butterfly unicorn rainbow summer winter autumn spring monday friday sunday
america usa texas california florida newyork chicago london paris
""".split()

PHRASES = """
iloveyou iloveyouforever iloveyousomuch iloveyoubaby iloveyoutoo iloveu ihateyou iloveme
ilovemyself ilovemymom ilovemydad ilovemyfamily ilovemykids ilovemyson ilovemydaughter
ilovemywife ilovemyhusband ilovemyboyfriend ilovemygirlfriend ilovemydog ilovemycat
ilovegod ilovejesus jesusloveme jesuslovesme jesusislord jesuschrist jesussaves godisgood
godisgreat godislove godbless godblessyou godblessamerica thankyoulord praisethelord
ingodwetrust letmein letmeinnow letmeinplease openup opensesame mypassword mynewpassword
newpassword thisismypassword thisisapassword thisisatest thisisasecret mysecretpassword
supersecret supersecretpassword topsecret verysecret secretpassword changemenow changethis
pleasechangeme forgotpassword iforgot iforgotmypassword idontknow idontcare whatever
nevergiveup neverforget nevermind noonecares nobodyknows donttellanyone dontforget
believeinyourself justdoit carpediem youonlyliveonce livelaughlove livelovelaugh
peaceandlove loveislove loveyouforever foreverandever foreveryoung foreverlove truelove
mylove myloveforever mylife myfamily mybaby mybabygirl mybabyboy happybirthday happydays
happylife beautifullife lifeisgood lifeisbeautiful lifeisshort imthebest iamthebest iamgod
iamking iamawesome iamcool welcomehome welcomeback hellothere helloworld hellokitty
hellohello goodmorning goodnight goodbye onetwothree onetwothreefour onetwothreefourfive
correcthorsebatterystaple thequickbrownfox thequickbrownfoxjumpsoverthelazydog
thequickbrownfoxjumpedoverthelazydog maryhadalittlelamb twinkletwinklelittlestar
tobeornottobe maytheforcebewithyou iamyourfather winteriscoming allyourbasearebelongtous
hakunamatata supercalifragilisticexpialidocious expectopatronum letitbe letitgo
stairwaytoheaven highwaytohell hotelcalifornia bohemianrhapsody rockandroll rocknroll
harrypotter lordoftherings gameofthrones startrek spiderman ironman captainamerica
blackpanther wonderwoman deadpool dragonball dragonballz onepiece sailormoon mickeymouse
minniemouse winniethepooh spongebob spongebobsquarepants scoobydoo bugsbunny darthvader
lukeskywalker princessleia hansolo obiwankenobi frodobaggins supermario legendofzelda
callofduty counterstrike worldofwarcraft leagueoflegends grandtheftauto onedayatatime
onedayatime serenityprayer godgrantmetheserenity stepbystep twelvesteps keepcomingback
easydoesit firstthingsfirst letgoletgod letgoandletgod thisshalltoopass staystrong
bestrong keepgoing keepcalm keepcalmandcarryon faithhopelove cleanandsober soberlife
mentalhealthmatters selfcarematters takeitonedayatatime passwordpassword passwordisnotsecure
mypasswordissecure mypasswordisstrong strongpassword securepassword longpassword
mylongpassword averylongpassword thisisalongpassword thisisaverylongpassword
passphrase mypassphrase thisismypassphrase
""".split()

# Keyboard walks (US QWERTY and common variants); every prefix of 8+ characters is listed.
WALKS = """
qwertyuiopasdfghjklzxcvbnm qwertyuiop[]asdfghjkl;'zxcvbnm,./ 1234567890qwertyuiopasdfghjkl
1234567890-=qwertyuiop[] qazwsxedcrfvtgbyhnujmikolp 1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik,9ol.0p;/
1qazxsw23edcvfr45tgbnhy67ujm zaq12wsxcde34rfvbgt56yhnmju78ik,.lo90p;/- zaq1xsw2cde3vfr4bgt5
!qaz@wsx#edc$rfv%tgb !qaz@wsx !qaz2wsx 1qaz!qaz 1qaz1qaz zaq1zaq1 zaq!2wsx
1q2w3e4r5t6y7u8i9o0p q1w2e3r4t5y6u7i8o9p0 1q2w3e4r5t6y 1qw23er45ty6 qweasdzxc123
123qweasdzxc qweasdzxcqweasdzxc qwe123qwe123 asdfghjkl;' asdfghjklqwertyuiop
zxcvbnm,./ zxcvbnmasdfghjklqwertyuiop poiuytrewqlkjhgfdsamnbvcxz mnbvcxzlkjhgfdsapoiuytrewq
0987654321poiuytrewq qwerasdfzxcv qwer1234asdf qwer1234 1234qwer asdf1234 1234asdf zxcv1234
1234zxcv asdfqwer asdfjkl; asdfjklasdfjkl azertyuiopqsdfghjklmwxcvbn qwertzuiopasdfghjkl
abcdefghijklmnopqrstuvwxyz zyxwvutsrqponmlkjihgfedcba abcdefg1234567 abc123abc123
a1b2c3d4e5f6g7h8i9 1a2b3c4d5e6f7g8h9i abcd1234efgh5678 aabbccddeeff 147258369 159753
741852963 963852741 789456123 123698745 147896325 14789632 0147258369 1478963258
159357258 951753 258456 321654987 123456789qwertyuiop 987654321qwertyuiop
""".split()

SUFFIXES = ["", "1", "2", "3", "4", "5", "6", "7", "8", "9", "0", "00", "01", "10", "11", "12",
            "13", "21", "22", "23", "69", "77", "88", "99", "007", "100", "101", "111", "123",
            "1234", "12345", "123456", "1234567", "12345678", "123456789", "1234567890", "321",
            "666", "777", "2020", "!", "!!", "!!!", "1!", "12!", "123!", "@123", "#1", "@1",
            "$", "?", ".", "*", "_1", "-1", "123abc", "abc", "abc123", "qwerty"]

LEET = [str.maketrans({"a": "@", "o": "0", "e": "3", "i": "1", "s": "$"}),
        str.maketrans({"a": "4", "o": "0", "e": "3", "i": "1", "s": "5", "t": "7"}),
        str.maketrans({"o": "0"}), str.maketrans({"a": "@"}), str.maketrans({"s": "$"}),
        str.maketrans({"i": "1"}), str.maketrans({"e": "3"})]


def read_john(path):
  out = []
  with open(path, encoding="latin-1") as f:
    for line in f:
      line = line.rstrip("\r\n")
      if line.startswith("#!comment:"):
        continue
      out.append(line.lower())
  return out


def read_dict(path):
  out = []
  with open(path, encoding="utf-8") as f:
    for line in f:
      w = line.strip()
      if len(w) >= MIN_LEN and w.isascii() and w.isalpha():
        out.append(w.lower())
  return out


def digit_runs():
  out = []
  asc = "0123456789" * 4
  desc = "9876543210" * 4
  for start in range(10):
    for n in range(MIN_LEN, 31):
      out.append(asc[start:start + n])
      out.append(desc[start:start + n])
  for d in "0123456789":
    for n in range(MIN_LEN, 21):
      out.append(d * n)
  for a in "0123456789":
    for b in "0123456789":
      if a != b:
        for n in (4, 5, 6, 8):
          out.append((a + b) * n)
  for unit in ("123", "321", "234", "456", "789", "987", "147", "159", "369", "1234", "4321",
               "12345", "54321", "123456", "654321", "1212", "1122", "112233", "abc", "qwe",
               "asd", "zxc", "qwer", "asdf", "zxcv", "1qaz", "2wsx", "xyz", "aaa", "abcd"):
    for n in range(2, 11):
      out.append(unit * n)
  return out


def walk_prefixes():
  out = []
  for w in WALKS:
    for s in (w, w + w):
      for n in range(MIN_LEN, min(len(s), 40) + 1):
        out.append(s[:n])
  return out


def variants(base_words):
  out = []
  for rank, w in enumerate(base_words):
    forms = [w]
    if rank < 120:
      forms += sorted({w.translate(t) for t in LEET} - {w})
    for f in forms:
      for s in SUFFIXES:
        out.append(f + s)
    if rank < 250:
      for y in range(1960, 2031):
        out.append(f"{w}{y}")
    if rank < 150:
      for n in range(100):
        out.append(f"{w}{n:02d}")
    out += [w + w, w + w + w, "my" + w, "the" + w, "ilove" + w]
  return out


def dates():
  out = []
  day = datetime.date(1950, 1, 1)
  end = datetime.date(2015, 12, 31)
  while day <= end:
    out.append(day.strftime("%m%d%Y"))
    out.append(day.strftime("%d%m%Y"))
    day += datetime.timedelta(days=1)
  return out


def main():
  ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
  ap.add_argument("--john", default="/usr/share/john/password.lst")
  ap.add_argument("--dict", default="/usr/share/dict/american-english")
  args = ap.parse_args()

  john = read_john(args.john)
  words = read_dict(args.dict)

  # Base words for variants, most important first (the first ones also get years and
  # two-digit suffixes): this service's context words, password.lst's 400 most common purely
  # alphabetic entries, then the other extra words and the phrases.
  base, seen_base = [], set()
  john_words = [x for x in john if x.isascii() and x.isalpha() and len(x) >= 4][:400]
  for w in EXTRA_WORDS[:EXTRA_WORDS.index("password")] + john_words + EXTRA_WORDS:
    if w not in seen_base:
      seen_base.add(w)
      base.append(w)

  seen = set()
  lines = []

  def emit(entries, generated):
    for e in entries:
      e = e.strip()
      if not e or e in seen or len(e) > MAX_LEN:
        continue
      if generated and len(e) < MIN_LEN:
        continue
      seen.add(e)
      lines.append(e)

  out = sys.stdout
  out.write("# source: John the Ripper password.lst 2011/11/20 (Debian john-data 1.9.0-2) + "
            "variants generated by data/gen-common-passwords.py + SCOWL words of 8+ letters "
            "(Debian wamerican 2020.12.07-2), license: password.lst public domain; generated "
            "entries are this project's own; SCOWL under its permissive notice, reproduced with "
            "the other notices in data/common-passwords.NOTICE\n")
  out.write("# One lowercase entry per line; lines starting with '#' are comments. Regenerate "
            "with data/gen-common-passwords.py; do not edit by hand.\n")

  sections = [
      ("John the Ripper password.lst (public domain), frequency order", john, False),
      ("generated: phrases, keyboard walks, digit runs", PHRASES + walk_prefixes() +
       digit_runs(), True),
      ("generated: variants of common base words", variants(base + PHRASES), True),
      ("generated: dates mmddyyyy and ddmmyyyy 1950-2015", dates(), True),
      ("SCOWL size-50 (wamerican) words of 8+ letters, lowercased (modified: filtered)",
       words, True),
  ]
  for title, entries, generated in sections:
    start = len(lines)
    emit(entries, generated)
    out.write(f"# section: {title}\n")
    out.write("\n".join(lines[start:]) + "\n")
  sys.stderr.write(f"{len(lines)} entries\n")


if __name__ == "__main__":
  main()
