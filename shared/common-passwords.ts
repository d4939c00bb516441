// Passwords that appear at the top of public breach corpora (RockYou, the "10k most common" lists, the
// yearly top-200 compilations), kept to entries of 8+ characters because anything shorter is refused by the
// length rule anyway. Compared in lower case, so "Password1" and "PASSWORD1" are refused too. The list lives
// in shared/ so the client can warn while the user types, with the server enforcing the same set.
// NIST SP 800-63B §5.1.1.2: refuse values from lists of commonly-used or compromised passwords.
const RAW = `
password password1 password12 password123 password1234 password12345 password! password01 passw0rd p@ssw0rd
p@ssword pa55word pa55w0rd passwort passwort1 motdepasse wachtwoord contrasena contrasena1 salasana senha123
parola123 haslo123 heslo123 lozinka1 sifre123 mypassword newpassword oldpassword secretpassword password2
password3 password7 password9 password11 password99 passpass passpass1 passwords thepassword yourpassword
12345678 123456789 1234567890 12345678910 123456789a 123456789q 1234567890q 12345678a 12345678q
1234567a 1234567q 123456aa 123456qq 123456abc 123456abcd 123456asd 123456qwe 123456qwerty 123456zxc
11111111 111111111 1111111111 00000000 000000000 0000000000 22222222 33333333 44444444 55555555 66666666
77777777 88888888 99999999 666666666 777777777 888888888 999999999 555555555 444444444 333333333 222222222
12121212 13131313 69696969 10101010 12344321 11223344 11112222 12341234 123123123 1231231234 123321123
321321321 456456456 789789789 147147147 159159159 112233445566 111222333 123412341234 1122334455
87654321 987654321 0987654321 9876543210 098765432 147258369 159753456 159357456 741852963 963852741
789456123 456789123 123654789 147852369 951753852 852456852 123698745 741852963 789456789 159753159
1234qwer qwer1234 1q2w3e4r 1q2w3e4r5t 1q2w3e4r5t6y 1q2w3e4r5 q1w2e3r4 q1w2e3r4t5 q1w2e3r4t5y6 1qaz2wsx
1qaz2wsx3edc 1qazxsw2 zaq12wsx zaq1zaq1 !qaz2wsx zaq1xsw2 xsw23edc 3edc4rfv 2wsx3edc qazwsxedc qazwsx123
qazwsxedcrfv 123qweasd 123qweasdzxc qweasdzxc qweasd123 qweasdzxc123 1qaz1qaz 2wsx2wsx a1b2c3d4 a1b2c3d4e5
1a2b3c4d 1a2b3c4d5e abc12345 abcd1234 abcde12345 abc123456 abc123abc abcdefgh abcdefg1 abcdefghi abcdefghij
1234abcd 12345abc 12345qwert 12345asdf 1234asdf asdf1234 asdfasdf asdfghjk asdfghjkl asdf;lkj asdfgh123
qwertyuiop qwertyui qwerty12 qwerty123 qwerty1234 qwerty12345 qwerty123456 qwertyu1 qwerty11 qwerty01
qwerty69 qwerty99 qwerty00 qwerty007 qwertyqwerty qwertzuiop qwertz123 azertyuiop azerty123 azerty12
zxcvbnm1 zxcvbnm123 zxcvbnml zxcvbn123 zxcvbnmasdfghjkl poiuytrewq lkjhgfdsa mnbvcxz1 1234rewq rewq4321
qazxswedc qwaszx12 qwaszxqw 1qwerty1 q1w2e3r4t qweqweqwe qweqwe123 asdasdasd asd123asd zxczxczxc
iloveyou iloveyou1 iloveyou2 iloveyou! iloveyou123 iloveu123 ilovehim ilovehim1 iloveher iloveyou12
ilovemyself ilovemom ilovegod iloveme1 ilovejesus loveyou1 loveyou2 lovelove lovely123 loveme123 lover123
loveyouforever truelove truelove1 mylove123 sweetheart sweetie1 sweetpea sweety123 babygirl1 babygirl12
babyboy1 babylove baby1234 princess princess1 princess12 princess123 prince123 angel123 angelina angelica
angel1234 beautiful beautiful1 gorgeous darling1 honeybee honey123 sunshine sunshine1 sunshine123 rainbow1
rainbow123 butterfly butterfly1 chocolate chocolate1 cupcake1 strawberry cherry123 blueberry pineapple
watermelon sunflower daisy123 flower123 flowers1 forever1 forever21 together nothing1 whatever whatever1
football football1 football12 football123 baseball baseball1 baseball12 basketball basketball1 soccer123
soccer12 hockey123 volleyball softball1 tennis123 golfer123 cowboys1 steelers yankees1 redskins packers1
liverpool liverpool1 chelsea1 chelsea123 arsenal1 arsenal123 manchester manutd123 barcelona barcelona1
realmadrid juventus1 football7 jordan23 jordan123 lebronjames kobe2424 michaeljordan ronaldo7 messi123
superman superman1 superman123 batman123 batman12 spiderman spiderman1 ironman1 captainamerica wolverine
starwars starwars1 starwars123 startrek1 skywalker darthvader jedimaster hogwarts harrypotter gandalf1
pokemon1 pokemon123 pikachu1 minecraft minecraft1 minecraft123 fortnite fortnite1 roblox123 warcraft
worldofwarcraft counterstrike halo1234 playstation playstation2 playstation3 xbox360 nintendo1 zelda123
computer computer1 computer123 internet internet1 letmein1 letmein123 letmein! welcome1 welcome123
welcome12 welcome2 welcome! welcome01 hello123 hello1234 hello12345 helloworld helloworld1 hellokitty
admin123 admin1234 admin12345 administrator adminadmin admin@123 root1234 rootroot toor1234 changeme
changeme1 changeme123 default1 defaultpassword guest123 guestguest test1234 test12345 testtest testing1
testing123 tester123 temp1234 temporary user1234 username username1 login123 logmein1 access14 access123
master123 masterkey master12 mastermind trustno1 trustnoone secret123 secret12 mysecret topsecret
opensesame sesame123 qwerty7 system123 server123 database oracle123 mysql123 postgres1 ubuntu123 linux123
windows1 windows7 windows10 microsoft apple123 macintosh iphone123 samsung1 samsung123 google123 facebook
facebook1 myspace1 twitter1 instagram youtube1 linkedin1 amazon123 netflix1 spotify1 dropbox1 paypal123
monkey123 monkey12 dragon123 dragon12 dragonfly shadow123 shadow12 tiger123 tigers12 lion1234 eagle123
falcon12 panther1 jaguar12 dolphin1 dolphins elephant bulldogs doggy123 puppy123 kitty123 kitten12
mickeymouse minnie123 snoopy123 scooby123 tweety12 garfield1 bubbles1 buttercup cookie123 peanut12
pepper123 ginger12 cinnamon marshmallow muffin12 biscuit1 chicken1 chicken123 cheese123 pizza123
michael1 michael123 michelle michelle1 jennifer jennifer1 jonathan danielle daniel123 alexander
alexandra alexis12 charlie1 charlie123 jessica1 jessica123 ashley123 amanda123 samantha samantha1
nicholas nicole123 patricia victoria isabella caroline jasmine1 brandon1 jackson1 matthew1 matthew123
andrew123 anthony1 william1 hannah123 benjamin cheyenne christopher christian christina christine
stephanie elizabeth katherine jacqueline alejandro francisco fernando gabriel1 santiago valentina
mariana1 natalie1 melissa1 rebecca1 jeremy12 justin123 joshua123 taylor123 madison1 brittany heather1
chrisbrown justinbieber onedirection beyonce1 rihanna1 eminem123 metallica slipknot1 nirvana1
blink182 greenday linkinpark ledzeppelin pinkfloyd beatles1 rockstar rockstar1 rockyou1 guitar12
music123 musician dancer12 singer12 drummer1 painter1 teacher1 student1 doctor123 nurse123 police123
firefighter soldier1 marines1 military pilot123 captain1 sergeant warrior1 gladiator spartan117 knight12
corvette mercedes mustang1 ferrari1 porsche911 lamborghini chevrolet camaro12 harley12 harleydavidson
yamaha12 kawasaki suzuki12 toyota12 hondacivic nissan12 bmw12345 audi1234 volkswagen 1qaz2wsx3
midnight midnight1 thunder1 lightning hurricane tornado1 blizzard snowball1 snowflake winter12 summer12
summer123 summer2020 summer2021 summer2022 summer2023 summer2024 summer2025 winter2020 winter2021
winter2022 winter2023 winter2024 winter2025 spring2023 spring2024 autumn2024 christmas christmas1
december november september october1 february january1 monday123 friday13 saturday sunday12
password2020 password2021 password2022 password2023 password2024 password2025 password2026
welcome2020 welcome2021 welcome2022 welcome2023 welcome2024 welcome2025 welcome2026 spring2025
fieldboard fieldboard1 fieldboard123 taskboard teamwork1 project1 project123 company1 company123
diamonds platinum precious treasure goldfish golden12 silver123 crystal1 emerald1 sapphire
freedom1 freedom123 liberty1 america1 america123 newyork1 california texas123 florida1 chicago1
london123 paris123 berlin123 madrid123 moscow123 toronto1 sydney123 melbourne australia canada123
england1 scotland ireland1 germany1 deutschland france123 italia123 espana123 brasil123 mexico123
philippines indonesia malaysia1 singapore pakistan1 bangladesh srilanka nigeria1 southafrica
jesus123 jesus1234 jesuschrist jesusislord jesuslovesme godislove godisgood godbless godbless1
blessed1 blessing faithful1 heaven12 angels12 trinity1 emmanuel hallelujah praisegod christ123
goodluck goodlife goodtimes goodgirl badboy123 badgirl1 bigdaddy bigboss1 bigdog12 tinkerbell
fuckyou1 fuckyou123 fuckyou2 fuckoff1 fuckthis iloveyou3 shithead bullshit asshole1 sexygirl sexy1234
hottie12 hotstuff hotmail1 yahoo123 gmail123 outlook1 email123 mail1234 matrix12 neo12345 morpheus
scorpion scorpio1 sagittarius capricorn aquarius1 gemini12 taurus12 virgo123 libra123 pisces12
blahblah nopassword nopass123 noentry1 unknown1 anything anything1 something somethingelse
asdfjkl; qwert123 qwert12345 1qaz!qaz 1q2w3e 1q2w3e4r! q1w2e3r4! 1234qwerasdf 1234qwerasdfzxcv
passw0rd1 p4ssw0rd p4ssword passwrd1 pasword1 pasword123 passwort123 pass1234 pass12345 pass123456
pw123456 pwd12345 mypass123 mypassword1 letmein12 openup12 opendoor iamgod12 iamthebest imcool12
thebest1 thebest123 thegame1 thekid12 champion champion1 winner123 success1 victory1 legend12
superstar superstar1 superuser superhero supergirl supermario sonic123 mario123 luigi123 yoshi123
naruto123 narutouzumaki sasuke123 goku1234 dragonball onepiece1 anime123 otaku123 kawaii12
madeinchina 5201314520 woaini1314 woaini520 aini1314 iloveyou520 1314520520 5211314520 qq123456
a123456789 aa123456 aa12345678 aaa12345 aaaaaaaa aaaaaaaaa abababab abcabcabc asdasd123 qqqqqqqq
wwwwwwww zzzzzzzz xxxxxxxx qwqwqwqw zxzxzxzx 1a1a1a1a a1a1a1a1 a1s2d3f4 z1x2c3v4 1z2x3c4v q2w3e4r5
1234567890qwertyuiop 0123456789 01234567 012345678 0000000a 1111aaaa aaaa1111 1111qqqq q1q1q1q1
12qwaszx 12qw34er 1q2a3z4x 1qa2ws3ed 1234zxcv zxcv1234 zxcvasdf asdfzxcv qwerasdf qwerasdfzxcv
asdfqwer poiuytre 0987poiu poiu0987 mnbvcxz123 ujmnhy67 7ujm8ik, 123456789z 12345678z 1234567z
123456789abc 123456789! 12345678! 1234567! !@#$%^&* !@#$%^&*() 1@2#3$4% !q@w#e$r 1!2@3#4$ qwe!@#123
q1w2e3r4t5y6u7 1q2w3e4r5t6y7u 1q2w3e4r5t6y7u8i 12345678901 123456789012 1234567891 12345678900
1234554321 123454321 12345654321 1234512345 123451234 5555555555 1212121212 1010101010 2222222222
monkey12345 dragon1234 shadow1234 master1234 sunshine12 princess12345 football1234 baseball123
charlie12 buster123 harley123 hunter123 hunter12 ranger123 rangers1 killer123 killer12 cowboy123
maverick maverick1 phoenix1 phoenix123 tigger123 tigger12 thomas123 robert123 richard1 george123
jordan12 jackson12 hammer12 hammer123 rocky123 rocky1234 diablo12 diablo123 lucky123 lucky777
lucky1234 money123 money1234 moneyman cash1234 richman1 million1 billion1 bitcoin1 crypto123
asshole123 welcome1234 hello1 helloo123 hellohello hithere1 howareyou goodbye1 goodnight goodmorning
babyface angelface cutie123 cuteboy1 cutegirl lovebug1 ladybug1 lollipop lollipop1 candy123 sugar123
beach123 ocean123 island12 paradise paradise1 sunset12 moonlight starlight stardust universe galaxy12
mercury1 jupiter1 saturn12 neptune1 pluto123 rocket12 spaceman astronaut
`;

export const COMMON_PASSWORDS: ReadonlySet<string> = new Set(
  RAW.split(/\s+/).filter((word) => word.length >= 8).map((word) => word.toLowerCase()),
);

export function isCommonPassword(password: string): boolean {
  return COMMON_PASSWORDS.has(password.toLowerCase());
}
