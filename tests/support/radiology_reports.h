// Report texts written for rrg's tests (no real patient data; ../shared texts are not copied).
// They mimic chest X-ray findings and impressions with the usual hedges, negations, devices,
// measurements, IU X-Ray's "XXXX" de-identification, and some formatting noise, plus texts that
// exercise Unicode and tokenizer edge cases.
#pragma once

#include <string>
#include <vector>

namespace rrg::testing {

// 60 report-like texts (findings / impressions).
inline const std::vector<std::string>& radiology_reports() {
  static const std::vector<std::string> reports = {
      "No acute cardiopulmonary process.",
      "Heart size is normal. Lungs are clear. No pleural effusion or pneumothorax.",
      "1. No acute radiographic cardiopulmonary process. 2. Stable mild cardiomegaly.",
      "Mild cardiomegaly with pulmonary vascular congestion and small bilateral pleural "
      "effusions, likely mild edema.",
      "Left lower lobe opacity may represent atelectasis or pneumonia.",
      "Right upper lobe consolidation concerning for pneumonia.",
      "Small left pneumothorax. Left-sided chest tube in place.",
      "No pneumothorax after removal of the chest tube.",
      "Interval increase in moderate right pleural effusion with adjacent atelectasis.",
      "Enlarged cardiomediastinal silhouette; cannot exclude pericardial effusion.",
      "The cardiomediastinal silhouette is within normal limits.",
      "Calcified granuloma in the right upper lobe. Otherwise clear lungs.",
      "A 2.2 x 1.6 cm nodule in the lingula. Recommend CT for further evaluation.",
      "Recommend XXXX to further evaluate. Findings discussed with Dr. XXXX at XXXX p.m.",
      "Degenerative changes of the thoracic spine. No acute osseous abnormality.",
      "Healed left posterior rib fractures.",
      "Acute displaced fracture of the right 7th rib.",
      "Endotracheal tube terminates 4 cm above the carina. NG tube in the stomach.",
      "Right internal jugular central venous catheter tip in the SVC.",
      "Left chest wall pacemaker with leads in the right atrium and right ventricle.",
      "Median sternotomy wires and mediastinal clips, unchanged.",
      "Hyperinflated lungs consistent with COPD. No focal consolidation.",
      "Diffuse bilateral interstitial opacities, possibly atypical infection or edema.",
      "Bibasilar atelectasis. No definite pneumonia.",
      "Possible small right effusion versus pleural thickening.",
      "Pleural thickening at the left apex, likely chronic scarring.",
      "No evidence of pneumothorax, effusion, or consolidation.",
      "Heart size upper limits of normal. Mild vascular congestion without frank edema.",
      "Stable appearance of the chest compared to XXXX.",
      "Lungs are hyperexpanded. Flattened diaphragms. Emphysema.",
      "Mass in the right hilum measuring 4 cm, suspicious for malignancy.",
      "Multiple pulmonary nodules, likely metastases.",
      "Subsegmental atelectasis in the left base, otherwise normal.",
      "Trace bilateral pleural effusions.",
      "Severe cardiomegaly. Pulmonary edema has worsened.",
      "Resolving right lower lobe pneumonia.",
      "Normal chest x-XXXX.",
      "NORMAL CHEST. NO ACUTE DISEASE.",
      "no acute disease",
      "",
      "   ",
      "Findings:\n\nThe lungs are clear.\nNo effusion.\n\nImpression: Normal.",
      "Patchy opacity in the right base -- atelectasis vs. aspiration?",
      "Tubes/lines: ETT 5 cm above carina; OGT below diaphragm; R PICC tip @ cavoatrial jxn.",
      "Low lung volumes with crowding of the bronchovascular markings.",
      "Possible tiny left apical pneumothorax, cannot be excluded.",
      "Dense retrocardiac opacity, likely collapse of the left lower lobe.",
      "Aortic knob calcification. Tortuous aorta.",
      "Widened mediastinum; recommend CT angiography to evaluate for dissection.",
      "Pneumoperitoneum under the right hemidiaphragm.",
      "Old healed fracture of the left clavicle.",
      "Kyphoplasty at T12. Scoliosis.",
      "Interval placement of a left-sided dual-lumen dialysis catheter.",
      "Cardiac silhouette is mildly enlarged; no overt failure.",
      "Lungs: clear. Pleura: normal. Heart: normal size. Bones: intact.",
      "The left hemidiaphragm is elevated (chronic).",
      "Status post left upper lobectomy with volume loss.",
      "Nipple shadows overlie the lower lungs; no nodule.",
      "Biapical pleural-parenchymal scarring, stable since 2019-03-04.",
      "Impression: 1) mild pulmonary edema 2) small bilateral effusions 3) no pneumothorax",
  };
  return reports;
}

// Texts for tokenizer edge cases: accents, punctuation, Unicode whitespace and controls,
// case mapping, CJK and Hangul, special tokens written in the text, numbers, very long words.
inline const std::vector<std::string>& tokenizer_edge_texts() {
  static const std::vector<std::string> texts = {
      "Caf\u00e9 r\u00e9sum\u00e9 na\u00efve co\u00f6perate \u00c9panchement pleural",
      "e\u0301 a\u0328\u0301 o\u0301\u031b u\u0308\u0301 \u1e69 \u01d5",  // combining marks
      "(1) left-sided effusion; no pneumothorax. [2] \"quoted\" {x} <y> a/b a\\b a_b ~^`|$&*",
      "Heart\u00a0size\u2002normal\u3000lungs\u2028clear\u2029ok\u0085end\u180eMongolian",
      "zero\u200bwidth\u200djoiner\ufeffbom\u00adsoft hyphen\u2060wj",
      "control\x01"
      "chars\x07here\x7f and\ttabs\rcr \x1c\x1d\x1e\x1f separators",
      "\u0130stanbul \u0049\u0307 KELVIN \u212a \u03a3\u039f\u03a6\u0399\u0391\u03a3 \u1e9e \u00df",
      "\u80ba\u90e8\u6b63\u5e38 \u5fc3\u810f\u5927\u5c0f\u6b63\u5e38 \u3400\u4dbf \U00020000",
      "\ud3d0 \ud55c\uad6d\uc5b4 \u1100\u1161 \u3131",  // Hangul syllables and jamo
      "\uff21\uff22\uff23 \uff11\uff12\uff13 \uff08full-width\uff09 \u2460 \u00bd \u2153",
      "\u00bfQu\u00e9? \u00a1S\u00ed! \u2014 \u2013 \u2018quotes\u2019 \u201cdouble\u201d "
      "\u2026 \u00b7 \u00b6 \u00a7 \u2022 \u203b",
      "\U0001F600 emoji \u2764\ufe0f \u00a9 \u00ae \u2122 \u00b0C \u00b1 \u00d7 \u00f7 \u221a",
      "2.2 x 1.6 cm 10mm 3,500 1e-5 0.5% 4th 1/2 12:30 2019-03-04 #5 $100",
      "XXXX XXXX-XXXX xxxx X-ray XXXXXXXXXXXX",
      "[CLS] text [SEP] and [cls] lower [MASK]inside a[UNK]b [PAD][PAD] [SEP",
      "[[CLS]] [ CLS ] [CL\x01S]",
      "pneumonoultramicroscopicsilicovolcanoconiosispneumonoultramicroscopicsilicovolcanoconiosis"
      "pneumonoultramicroscopic",  // 114 characters: [UNK]
      "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghij"
      "klmnopqrstuv",  // exactly 100 characters
      "\u0627\u0644\u0631\u0626\u0629 \u05e8\u05d0\u05d4 \u0932\u0902\u0917 \u0e1b\u0e2d\u0e14 "
      "\u10e4\u10d8\u10da\u10d8",  // Arabic, Hebrew, Devanagari, Thai, Georgian
      "\u1f82\u1fed\u037e\u0387 \u1fef \u2126 \u212b \u2000 \uf900 \ufb01",  // canonical singletons
      "",
      "   \t\n  ",
  };
  return texts;
}

}  // namespace rrg::testing
