// The words that say how two things named in one sentence relate, per link type, in English and
// Arabic; and the words that deny it. A cue only proposes a type: the model's allowed triples
// (model.ts) decide whether it fits the two kinds at hand.
import type { LinkType } from '../../model/model.js';

export interface CueSpec { type: LinkType; en: RegExp; ar?: RegExp }

// Arabic words take clitics and the article, so their patterns are not bounded by \b.
export const CUES: readonly CueSpec[] = [
  { type: 'ATTRIBUTED_TO', en: /\b(?:attribut\w*|behind|linked to|tied to|on behalf of|run by|carried out by|conducted by|sponsored by|backed by|directed by|orchestrated by|responsible for)\b/giu, ar: /(?:نسب|وراء|مرتبط|نيابة عن)/gu },
  { type: 'OPERATES', en: /\b(?:operat\w*|runs?|ran|running|controll?\w*|manag\w*|set up|created?|creating)\b/giu, ar: /(?:تدير|يدير|ادار|أدار|أنشأ|انشا|يشغل)/gu },
  { type: 'USES', en: /\b(?:us(?:e|es|ed|ing)|employ\w*|rel(?:y|ies|ied) on|leverag\w*|via|through|routed|routing|sen(?:d|t|ding)|deploy\w*|exploit\w*|abus\w*)\b/giu, ar: /(?:تستخدم|يستخدم|استخدام|باستخدام|عبر|بتوجيه|ارسال|إرسال|أرسلوا|ارسلوا)/gu },
  { type: 'TARGETS', en: /\b(?:target\w*|aimed at|aim(?:s|ed)? at|against|sent to|threaten\w*|intimidat\w*|hurt|harm\w*|focus(?:ed|ing)? on|directed at|attack\w*|to influence)\b/giu, ar: /(?:استهدف|مستهدف|لتهديد|تهديد|للاضرار|للإضرار|للتاثير|للتأثير|الهجوم)/gu },
  { type: 'COMPROMISED', en: /\b(?:compromis\w*|hack(?:s|ed|ing)?\b|breach\w*|took over|taken over|hijack\w*|touch(?:ed)?|infiltrat\w*|penetrat\w*)\b/giu, ar: /(?:اخترق|معرضه للخطر|معرضة للخطر|تؤثر على البنيه|تؤثر على البنية)/gu },
  { type: 'TAMPERED_WITH', en: /\b(?:alter\w*|chang(?:e|ed|ing)|tamper\w*|manipulat\w*|modif\w*|falsif\w*|delet\w*)\b/giu, ar: /(?:تغيير|تغييرها|التلاعب|تعديل)/gu },
  { type: 'IMPERSONATES', en: /\b(?:pos(?:e|es|ed|ing) as|purport\w* to (?:come from|be)|impersonat\w*|masquerad\w* as|pretend\w* to be|in the name of|claiming to be|spoof\w*)\b/giu, ar: /(?:ينتحل|انتحال|يزعم|يُزعم|المزيفه|المزيفة|مزيفه|مزيفة)/gu },
  { type: 'OBTAINED', en: /\b(?:obtain\w*|acquir\w*|stole|stolen|steal\w*|got hold of|gather\w*|collect\w*|harvest\w*|bought)\b/giu, ar: /(?:حصل|حصلت|حصول|جمعت)/gu },
  { type: 'PROMOTES', en: /\b(?:promot\w*|push\w*|spread\w*|advanc\w*|propagat\w*)\b/giu, ar: /(?:تروج|يروج|نشر)/gu },
  { type: 'AMPLIFIES', en: /\b(?:amplif\w*|shar(?:e|es|ed|ing)|repost\w*|boost\w*|retweet\w*|cross-amplif\w*)\b/giu, ar: /(?:تضخيم|مشاركه|مشاركة)/gu },
  { type: 'AFFILIATED_WITH', en: /\b(?:director|head|chief|member|senator|spokes\w*|researchers?|officials?|employees?|analysts?|works? for|worked for|of the)\b/giu, ar: /(?:مدير|رئيس|عضو|السناتور|من لجنه|من لجنة|باحثون)/gu },
  { type: 'LOCATED_IN', en: /\b(?:based in|located in|[a-z]+-based|headquartered in|from)\b/giu, ar: /(?:مقرها|ومقرها|مقره)/gu },
  { type: 'RELATED_TO', en: /\b(?:follow\w*|repeat\w*|reminder|precedent|successor|continu\w*|recidiv\w*)\b/giu, ar: /(?:تذكير|استمرار)/gu },
];

/** Words that turn a claim into a negative finding ("no sign that …", "did not …"). */
export const NEGATION = {
  en: /\b(?:no (?:indication|sign|evidence|proof)|did not|didn['’]t|does not|doesn['’]t|has not|have not|had not|was not|were not|not|nor|never|neither|without)\b/giu,
  ar: /(?:^|\s)(?:لم|لا|ليس|لن|دون|بدون)(?=\s)/gu,
};

/** Plural references to the countries named before ("both countries", "either country", "الدولتين"). */
export const COUNTRY_PAIR = {
  en: /\b(?:both (?:\w+ )?(?:countries|states|nations)|the two (?:\w+ )?(?:countries|states|nations)|either (?:country|state|nation)|neither (?:country|state|nation))\b/giu,
  ar: /(?:الدولتين|البلدين|البلدان|الدولتان)/gu,
};

/** Words that report what someone said or found: the speaker's statement is a source the report relays. */
export const REPORTED = {
  en: /\b(?:said|says|told|stated|according to|laid out|announced|warned|reported|testified|briefed|analysis by|researchers at)\b|:\s*["“]/giu,
  ar: /(?:قال|وقال|وفقا|وفقًا|اعلن|أعلن|صرح)/gu,
};

/**
 * Everyday phrasing of a few ATT&CK techniques, by the technique's name: a sentence with the
 * phrase names the technique when the graph holds one of that name.
 */
export const TECHNIQUE_PHRASES: readonly { name: string; en: RegExp }[] = [
  { name: 'Proxy', en: /\b(?:rout(?:ed|ing)\b.{0,40}?\bthrough|relay(?:ed|ing)?\b|prox(?:y|ies))\b/giu },
  { name: 'Compromise Infrastructure', en: /\b(?:compromised (?:\w+ ){0,3}(?:website|server|network|domain|account|infrastructure|company)s?)\b/giu },
  { name: 'Impersonation', en: /\b(?:pos(?:e|ed|ing) as|purport\w* to (?:come from|be)|impersonat\w*|masquerad\w* as|pretend\w* to be)\b/giu },
  { name: 'Phishing', en: /\bphish\w*/giu },
];

/** Pronouns that stand for the group named last ("they sent …"). */
export const GROUP_PRONOUN = /\b(?:they|them)\b/giu;
/** A definite noun ("the emails") that may stand for an entity named just before by a name ending in that noun. */
export const DEFINITE_NOUN = /\bthe ([a-z][a-z-]{2,})\b/giu;
