"""NLTK 3.8 objects for rrg's test-time oracles (run with /usr/bin/python3).

The tests compare rrg's C++ stemmer, WordNet reader and metrics with NLTK itself. NLTK's own
WordNet corpus is not installed on a Debian machine; rrg reads Debian's `wordnet-base` files, so
the oracle opens those same files with NLTK's WordNetCorpusReader. NLTK's reader also insists on a
`lexnames` file (it maps lexicographer file numbers to names at start-up), which wordnet-base
does not ship; METEOR never looks at those names, so a stand-in with WordNet 3.0's 45
lexicographer file names (documented in lexnames(5WN)) is written next to symlinks of the real
files in a temporary directory.
"""
import atexit
import os
import shutil
import tempfile
import warnings

# WordNet 3.0's lexicographer files, numbered 00..44 (lexnames(5WN)).
_LEXNAMES = (
    "adj.all adj.pert adv.all noun.Tops noun.act noun.animal noun.artifact noun.attribute "
    "noun.body noun.cognition noun.communication noun.event noun.feeling noun.food noun.group "
    "noun.location noun.motive noun.object noun.person noun.phenomenon noun.plant "
    "noun.possession noun.process noun.quantity noun.relation noun.shape noun.state "
    "noun.substance noun.time verb.body verb.change verb.cognition verb.communication "
    "verb.competition verb.consumption verb.contact verb.creation verb.emotion verb.motion "
    "verb.perception verb.possession verb.social verb.stative verb.weather adj.ppl"
).split()
_POS_NUMBER = {"adj": 3, "adv": 4, "noun": 1, "verb": 2}


def wordnet_directory():
    return os.environ.get("RRG_WORDNET_DIR") or "/usr/share/wordnet"


def wordnet(directory=None):
    """NLTK's WordNetCorpusReader on the WordNet files in `directory`."""
    from nltk.corpus.reader.wordnet import WordNetCorpusReader

    directory = directory or wordnet_directory()
    root = tempfile.mkdtemp(prefix="rrg-nltk-wordnet-")
    atexit.register(shutil.rmtree, root, True)
    for name in os.listdir(directory):
        os.symlink(os.path.join(directory, name), os.path.join(root, name))
    if not os.path.exists(os.path.join(root, "lexnames")):
        with open(os.path.join(root, "lexnames"), "w") as out:
            for number, name in enumerate(_LEXNAMES):
                out.write("%02d\t%s\t%d\n" % (number, name, _POS_NUMBER[name.split(".")[0]]))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "multilingual functions are not available"
        return WordNetCorpusReader(root, None)


def meteor_synonyms(reader, word):
    """The set NLTK's _enum_wordnetsyn_match builds for a hypothesis word."""
    names = {
        lemma.name()
        for synset in reader.synsets(word)
        for lemma in synset.lemmas()
        if lemma.name().find("_") < 0
    }
    return names | {word}
