/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
#include <gtest/gtest.h>
#include <tvm/runtime/container/array.h>
#include <tvm/runtime/container/map.h>
#include <tvm/runtime/object.h>

namespace {

using namespace tvm::runtime;  // NOLINT(*)

class AnimalNode : public Object {
 public:
  int legs = 0;
  static constexpr const char* _type_key = "test.Animal";
  using _type_parent = Object;
};

class DogNode : public AnimalNode {
 public:
  static constexpr const char* _type_key = "test.Dog";
  static constexpr bool _type_final = true;
  using _type_parent = AnimalNode;
};

class CatNode : public AnimalNode {
 public:
  static int destroyed;
  ~CatNode() override { ++destroyed; }
  static constexpr const char* _type_key = "test.Cat";
  using _type_parent = AnimalNode;
};
int CatNode::destroyed = 0;

class Animal : public ObjectRef {
 public:
  using ContainerType = AnimalNode;
  using ObjectRef::ObjectRef;
  const AnimalNode* operator->() const { return static_cast<const AnimalNode*>(get()); }
};

class Dog : public Animal {
 public:
  using ContainerType = DogNode;
  using Animal::Animal;
};

TEST(Object, TypeHierarchy) {
  ObjectRef dog(make_object<DogNode>());
  ObjectRef cat(make_object<CatNode>());
  EXPECT_EQ(dog->GetTypeKey(), "test.Dog");
  EXPECT_TRUE(dog->IsInstance<AnimalNode>());
  EXPECT_TRUE(dog->IsInstance<DogNode>());
  EXPECT_FALSE(dog->IsInstance<CatNode>());
  EXPECT_TRUE(cat->IsInstance<AnimalNode>());
  EXPECT_TRUE(Object::TypeIsSubclass(cat->type_index(), Object::TypeKey2Index("test.Animal")));
  EXPECT_EQ(Object::ParentTypeIndex(dog->type_index()), Object::TypeKey2Index("test.Animal"));
  EXPECT_NE(dog.as<AnimalNode>(), nullptr);
  EXPECT_EQ(dog.as<CatNode>(), nullptr);
  EXPECT_THROW(Object::TypeKey2Index("test.NoSuchType"), Error);
}

TEST(Object, ReferenceCounting) {
  CatNode::destroyed = 0;
  {
    ObjectRef a(make_object<CatNode>());
    EXPECT_EQ(a.use_count(), 1);
    {
      ObjectRef b = a;
      EXPECT_EQ(a.use_count(), 2);
      EXPECT_TRUE(a.same_as(b));
    }
    EXPECT_EQ(a.use_count(), 1);
    ObjectRef c = std::move(a);
    EXPECT_FALSE(a.defined());
    EXPECT_EQ(c.use_count(), 1);
    EXPECT_EQ(CatNode::destroyed, 0);
  }
  EXPECT_EQ(CatNode::destroyed, 1);
}

TEST(Object, DowncastChecksType) {
  ObjectRef dog(make_object<DogNode>());
  Animal animal = Downcast<Animal>(dog);
  EXPECT_TRUE(animal.same_as(dog));
  Dog d = Downcast<Dog>(animal);
  EXPECT_TRUE(d.defined());
  ObjectRef cat(make_object<CatNode>());
  try {
    Downcast<Dog>(cat);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), "TypeError");
    EXPECT_NE(std::string(e.what()).find("test.Cat"), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("test.Dog"), std::string::npos);
  }
}

TEST(Container, ArrayCopyOnWrite) {
  Array<Animal> a;
  a.push_back(Animal(make_object<DogNode>()));
  a.push_back(Animal(make_object<CatNode>()));
  Array<Animal> b = a;
  EXPECT_TRUE(a.same_as(b));
  b.push_back(Animal(make_object<DogNode>()));
  EXPECT_FALSE(a.same_as(b));
  EXPECT_EQ(a.size(), 2u);
  EXPECT_EQ(b.size(), 3u);
  EXPECT_TRUE(a[0].same_as(b[0]));
  EXPECT_THROW(a[5], Error);
  int dogs = 0;
  for (Animal x : b) dogs += x->IsInstance<DogNode>();
  EXPECT_EQ(dogs, 2);
}

TEST(Container, MapStringKeysAndOrder) {
  Map<String, Animal> m;
  m.Set("rex", Animal(make_object<DogNode>()));
  m.Set("tom", Animal(make_object<CatNode>()));
  m.Set(std::string("rex"), Animal(make_object<DogNode>()));  // replaces by content
  EXPECT_EQ(m.size(), 2u);
  EXPECT_EQ(m.count("tom"), 1u);
  std::vector<std::string> keys;
  for (auto kv : m) keys.push_back(kv.first);
  EXPECT_EQ(keys, (std::vector<std::string>{"rex", "tom"}));
  Map<String, Animal> copy = m;
  copy.erase("rex");
  EXPECT_EQ(m.size(), 2u);
  EXPECT_EQ(copy.size(), 1u);
  EXPECT_FALSE(m.Get("nobody").has_value());
  try {
    m.at("nobody");
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("nobody"), std::string::npos);
  }
}

}  // namespace
